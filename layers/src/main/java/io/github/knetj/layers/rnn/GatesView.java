package io.github.knetj.layers.rnn;

import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.RNNOps;

import java.util.List;

/**
 * The weights of a recurrent layer gate by gate (KnetLayers' {@code gatesview}): for layer l, direction d and gate
 * k, rows k·H ≤ r &lt; (k+1)·H of W_ih (H, in), W_hh (H, H), b_ih and b_hh (H). Gate names follow PyTorch: LSTM
 * "i","f","g","o"; GRU "r","z","n"; RNN "h". Reads are copies; writes replace the rows inside the parameters.
 * <pre>{@code
 * GatesView g = lstm.gates();
 * g.set(0, 0, "f", g.get(0, 0, "f").withBiases(0.5));   // forget gate: b_ih + b_hh = 1
 * }</pre>
 */
public final class GatesView {
    /**
     * One gate's weights: input weights (H, in), hidden weights (H, H), input and hidden biases (H).
     * In {@link #set}, a null member leaves that part unchanged.
     */
    public record Gate(Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {
        /** This gate with both biases set to {@code value}; the gate adds them, so it sees 2·value. */
        public Gate withBiases(double value) {
            return new Gate(wIh, wHh, bIh.backend().memory().full(bIh.shape(), bIh.dtype(), value),
                    bHh.backend().memory().full(bHh.shape(), bHh.dtype(), value));
        }

        @Override public String toString() { return "Gate(wIh=" + wIh.shape() + ", wHh=" + wHh.shape() + ", bIh=" + bIh.shape() + ", bHh=" + bHh.shape() + ")"; }
    }

    private final Recurrent layer;

    GatesView(Recurrent layer) { this.layer = layer; }

    /** The gate names in PyTorch's stacking order. */
    public List<String> names() {
        return switch (layer.cell()) {
            case LSTM -> List.of("i", "f", "g", "o");
            case GRU -> List.of("r", "z", "n");
            case RNN_TANH, RNN_RELU -> List.of("h");
        };
    }

    /** A copy of one gate's weights and biases (wIh null in a skipInput layer). */
    public Gate get(int layerIndex, int direction, String gate) {
        CellWeights w = layer.weights(layerIndex, direction);
        int k = index(gate);
        return new Gate(w.wIh() == null ? null : rows(w.wIh(), k), rows(w.wHh(), k), rows(w.bIh(), k), rows(w.bHh(), k));
    }

    /** Writes one gate's weights and biases (null members are left alone); shapes must match {@link #get}'s. */
    public void set(int layerIndex, int direction, String gate, Gate values) {
        CellWeights w = layer.weights(layerIndex, direction);
        int k = index(gate);
        if (values.wIh() != null) {
            if (w.wIh() == null) throw new IllegalArgumentException(layer + ": layer " + layerIndex + " has no input weights (skipInput)");
            setRows(w.wIh(), k, values.wIh(), "wIh", gate);
        }
        if (values.wHh() != null) setRows(w.wHh(), k, values.wHh(), "wHh", gate);
        if (values.bIh() != null) setRows(w.bIh(), k, values.bIh(), "bIh", gate);
        if (values.bHh() != null) setRows(w.bHh(), k, values.bHh(), "bHh", gate);
    }

    private int index(String gate) {
        int k = names().indexOf(gate);
        if (k < 0) throw new IllegalArgumentException(layer + ": no gate \"" + gate + "\"; gates are " + names());
        return k;
    }

    /** Rows k·H ≤ r &lt; (k+1)·H of p, a matrix or a vector. */
    private Tensor rows(Param p, int k) {
        int h = layer.hiddenSize();
        return p.backend().layout().slice(p.data(), 0, k * h, (k + 1) * h);
    }

    private void setRows(Param p, int k, Tensor values, String what, String gate) {
        int h = layer.hiddenSize();
        Shape expected = p.shape().with(0, h);
        if (!values.shape().equals(expected))
            throw new IllegalArgumentException(layer + ": gate \"" + gate + "\" " + what + " must be " + expected + ", got " + values.shape());
        double[] all = p.data().toDoubleArray(), part = values.toDoubleArray();
        System.arraycopy(part, 0, all, k * part.length, part.length);
        p.set(p.backend().memory().fromArray(all, p.shape(), p.dtype()));
    }

    @Override public String toString() { return "GatesView(" + layer + ", gates " + names() + ")"; }
}
