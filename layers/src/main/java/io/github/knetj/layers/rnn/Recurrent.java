package io.github.knetj.layers.rnn;

import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.autograd.NNOps;
import io.github.knetj.autograd.RNNOps;
import io.github.knetj.layers.Embed;
import io.github.knetj.layers.Init;
import io.github.knetj.layers.Layer;
import io.github.knetj.layers.TrainingMode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.github.knetj.autograd.Ops.concat;
import static io.github.knetj.autograd.Ops.reshape;
import static io.github.knetj.autograd.Ops.slice;

/**
 * y, h_T = RNN(x, h_0): a stack of recurrent layers over batch-first sequences, the common part of {@link RNN},
 * {@link LSTM} and {@link GRU} (PyTorch's equations, see {@link RNNOps}).
 * <p>
 * Input: a dense (B,T,I) value; with an embedding, a (B,T) value or {@code int[][]} of token ids; or a ragged
 * {@code List<int[]>} of token sequences of different lengths, sorted by length or not. Optional initial states are
 * (L·D,B,H), L layers and D = 2 directions when bidirectional. Layer l > 0 reads the outputs of layer l − 1 (both
 * directions side by side), with dropout between layers while training. Weights start uniform in ±1/√H, as in
 * PyTorch; {@link #gates()} reads and writes them gate by gate.
 */
public abstract sealed class Recurrent implements Layer, TrainingMode permits RNN, LSTM, GRU {
    private final RNNOps.Cell cell;
    private final int inputSize, hiddenSize, layers;
    private final boolean bidirectional;
    private final double dropout;
    private final Embed embed;
    /** Weights by PyTorch's suffix: "l0", "l0_reverse", "l1", ... */
    private final Map<String, CellWeights> cells = new LinkedHashMap<>();
    private final boolean skipInput;
    private Boolean training;
    /** Whether the final states of a call start the next one (Knet's hy/cy kept in the layer), and those states. */
    private boolean carry;
    private Value carriedH, carriedC;

    Recurrent(RNNOps.Cell cell, int inputSize, int hiddenSize, RNNConfig config) {
        this.cell = cell;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.layers = config.layers();
        this.bidirectional = config.bidirectional();
        this.dropout = config.dropout();
        if (inputSize < 1 || hiddenSize < 1)
            throw new IllegalArgumentException(kind() + ": input and hidden sizes must be >= 1, got " + inputSize + " => " + hiddenSize);
        if (config.embed() != null && config.embed().vocab() != inputSize)
            throw new IllegalArgumentException(kind() + ": the input size " + inputSize + " must equal the vocabulary of " + config.embed());
        this.embed = config.embed() != null ? config.embed() : config.embedSize() > 0 ? new Embed(inputSize, config.embedSize()) : null;
        int first = embed != null ? embed.dim() : inputSize, g = cell.gates() * hiddenSize;
        this.skipInput = config.skipInput();
        if (skipInput && first != hiddenSize)
            throw new IllegalArgumentException(kind() + ": skipInput needs the input (" + first + " wide) as wide as the hidden state (" + hiddenSize + ")");
        WeightSource source = new WeightSource(config, 1 / Math.sqrt(hiddenSize));
        for (int l = 0; l < layers; l++)
            for (int d = 0; d < directions(); d++) {
                int in = l == 0 ? first : directions() * hiddenSize;
                cells.put(key(l, d), new CellWeights(skipInput && l == 0 ? null : source.weight(g, in), source.weight(g, hiddenSize), source.bias(g), source.bias(g)));
            }
        if (!Double.isNaN(config.finit())) {
            if (cell != RNNOps.Cell.LSTM) throw new IllegalArgumentException(kind() + ": finit sets an LSTM's forget gate; this layer has none");
            GatesView view = gates();
            for (int l = 0; l < layers; l++)
                for (int d = 0; d < directions(); d++) view.set(l, d, "f", view.get(l, d, "f").withBiases(config.finit()));
        }
    }

    private static String key(int layer, int direction) { return "l" + layer + (direction == 1 ? "_reverse" : ""); }

    /** The class name as printed ("LSTM"). */
    String kind() { return getClass().getSimpleName(); }

    /** Extra words after the sizes in {@link #toString} ("relu" for a relu RNN). */
    String extra() { return ""; }

    public RNNOps.Cell cell() { return cell; }

    /** The size of the input features, or the vocabulary when there is an embedding. */
    public int inputSize() { return inputSize; }

    public int hiddenSize() { return hiddenSize; }

    public int layers() { return layers; }

    public boolean bidirectional() { return bidirectional; }

    /** 2 when bidirectional, else 1. */
    public int directions() { return bidirectional ? 2 : 1; }

    public double dropout() { return dropout; }

    /** The embedding of the input ids, or null when the input is dense. */
    public Embed embed() { return embed; }

    /** The weights of one layer (from 0) and direction (0 forward, 1 reverse). */
    public CellWeights weights(int layer, int direction) {
        CellWeights w = cells.get(key(layer, direction));
        if (w == null) throw new IndexOutOfBoundsException(this + ": no layer " + layer + " direction " + direction + " (layers " + layers + ", directions " + directions() + ")");
        return w;
    }

    /** Each gate's input and hidden weights and biases, per layer and direction, readable and writable. */
    public GatesView gates() { return new GatesView(this); }

    /** y of {@link #forward(Value)}. */
    @Override public Value apply(Value x) { return forward(x).y(); }

    /** Runs from zero states over a dense (B,T,I) value, or a (B,T) value of token ids when there is an embedding. */
    public RNNOutput forward(Value x) { return forward(x, null, null); }

    /** Runs from the states h0 and (LSTM only) c0, each (L·D,B,H) or null for zeros. */
    public RNNOutput forward(Value x, Value h0, Value c0) { return forward(x, null, h0, c0); }

    /**
     * Runs over padded input whose sequence b has lengths[b] valid steps (null: all T), in any order: steps past a
     * sequence's end leave its state alone and give zero output.
     */
    public RNNOutput forward(Value x, int[] lengths, Value h0, Value c0) {
        boolean oneStep = embed != null ? x.shape().rank() == 1 : x.shape().rank() == 2;
        if (oneStep) {
            // One step from (B, I) input, or (B) ids (Knet's 2-D call): run a sequence of length 1, return y as (B, D·H).
            RNNOutput out = forward(reshape(x, embed != null ? new int[]{x.shape().dim(0), 1} : new int[]{x.shape().dim(0), 1, x.shape().dim(1)}), lengths, h0, c0);
            return new RNNOutput(reshape(out.y(), x.shape().dim(0), -1), out.hidden(), out.memory(), out.indices());
        }
        if (embed != null) {
            if (x.shape().rank() != 2) throw new IllegalArgumentException(this + ": expected (B,T) token ids for the embedding, got shape " + x.shape());
            int b = x.shape().dim(0);
            return carried(runTokens(embed.indices(x), b, x.shape().dim(1), lengths, carriedOr(h0, carriedH, b), carriedOr(c0, carriedC, b)));
        }
        if (x.shape().rank() != 3 || x.shape().dim(2) != inputSize)
            throw new IllegalArgumentException(this + ": expected dense input (B,T," + inputSize + ") or one step (B," + inputSize + "), got shape " + x.shape());
        int b = x.shape().dim(0);
        return carried(run(x, null, b, x.shape().dim(1), lengths, carriedOr(h0, carriedH, b), carriedOr(c0, carriedC, b)));
    }

    /** Runs over rows of token ids, of equal or different lengths (see {@link #forward(List, Value, Value)}). */
    public RNNOutput forward(int[][] tokens) { return forward(Arrays.asList(tokens), null, null); }

    /** Runs over a ragged batch of token-id sequences from zero states. */
    public RNNOutput forward(List<int[]> sequences) { return forward(sequences, null, null); }

    /**
     * Runs over a ragged batch of token-id sequences (lengths ≥ 1, sorted or not): they are sorted by decreasing
     * length, padded, run, and the results put back in the caller's order; h0 and c0, if given, are in the caller's
     * order too. {@link RNNOutput#indices()} tells the order they ran in.
     */
    public RNNOutput forward(List<int[]> sequences, Value h0, Value c0) {
        if (embed == null) throw new IllegalArgumentException(this + ": a batch of token-id sequences needs an embedding (RNNConfig.embed)");
        Ragged r = Ragged.sort(this, sequences);
        checkStates(h0, c0, r.size());
        RNNOutput out = runTokens(r.paddedIds(), r.size(), r.maxLength(), r.sortedLengths(), r.toSorted(carriedOr(h0, carriedH, r.size()), 1),
                r.toSorted(carriedOr(c0, carriedC, r.size()), 1));
        return carried(new RNNOutput(r.toCaller(out.y(), 0), r.toCaller(out.hidden(), 1), r.toCaller(out.memory(), 1), r.order()));
    }

    /**
     * The stack over B sequences of T token ids (batch-major): the first layer reads the embedding table's rows
     * projected by W_ih ({@link RNNOps#runTokens}) where the vocabulary is small beside the batch, else the embedded
     * (B,T,dim) input.
     */
    private RNNOutput runTokens(int[] ids, int b, int t, int[] lengths, Value h0, Value c0) {
        if (skipInput || !RNNOps.projectsTable(embed.vocab(), (long) b * t)) return run(embed.apply(ids, b, t), null, b, t, lengths, h0, c0);
        embed.checkIndices(ids);
        return run(null, ids, b, t, lengths, h0, c0);
    }

    /** The stack of layers over dense (B,T,in) input x, or, when x is null, over token ids read through the embedding. */
    private RNNOutput run(Value x, int[] ids, int b, int t, int[] lengths, Value h0, Value c0) {
        checkStates(h0, c0, b);
        List<Value> hidden = new ArrayList<>(), memory = new ArrayList<>();
        Value input = x;
        for (int l = 0; l < layers; l++) {
            Value[] ys = new Value[directions()];
            for (int d = 0; d < directions(); d++) {
                int k = l * directions() + d;
                CellWeights w = weights(l, d);
                RNNOps.Result r = input == null
                        ? RNNOps.runTokens(cell, embed.table(), ids, b, t, stateAt(h0, k, b), stateAt(c0, k, b), w.wIh(), w.wHh(), w.bIh(), w.bHh(), lengths, d == 1)
                        : RNNOps.run(cell, input, stateAt(h0, k, b), stateAt(c0, k, b), w.wIh() != null ? w.wIh() : identities(input), w.wHh(), w.bIh(),
                                w.bHh(), lengths, d == 1);
                ys[d] = r.y();
                hidden.add(reshape(r.h(), 1, b, hiddenSize));
                if (r.c() != null) memory.add(reshape(r.c(), 1, b, hiddenSize));
            }
            input = ys.length == 1 ? ys[0] : concat(2, ys);
            if (l < layers - 1 && dropout > 0 && isTraining()) input = NNOps.dropout(input, dropout, Init.nextSeed(), true);
        }
        return new RNNOutput(input, stack(hidden), memory.isEmpty() ? null : stack(memory), null);
    }

    /**
     * skipInput's input weights: G identity matrices stacked (G·H, H), a constant, so each gate receives x_t itself.
     * (A matmul by a constant identity costs as much as real weights would; it keeps RNNOps unchanged.)
     */
    private Value identities(Value like) {
        int g = cell.gates(), h = hiddenSize;
        double[] eye = new double[g * h * h];
        for (int k = 0; k < g; k++) for (int i = 0; i < h; i++) eye[(k * h + i) * h + i] = 1;
        return new Value(like.backend().memory().fromArray(eye, Shape.of(g * h, h), like.dtype()));
    }

    /**
     * Keeps the final states between calls (Knet's {@code hy=true, cy=true} with the states held in the layer):
     * while on, a call given no h0/c0 starts from the last call's final states, detached from its graph (gradients do
     * not flow back into earlier calls: truncated backpropagation through time). A batch of another size starts from
     * zeros. Returns this layer.
     */
    public Recurrent carryState(boolean on) {
        carry = on;
        if (!on) resetState();
        return this;
    }

    /** Forgets the carried states: the next call starts from zeros. */
    public void resetState() { carriedH = null; carriedC = null; }

    /** The carried final hidden states (L·D,B,H), or null. */
    public Value carriedHidden() { return carriedH; }

    /** The carried final cell states of an LSTM, or null. */
    public Value carriedMemory() { return carriedC; }

    private Value carriedOr(Value given, Value kept, int batch) {
        if (given != null || !carry || kept == null) return given;
        return kept.shape().dim(1) == batch ? kept : null;
    }

    private RNNOutput carried(RNNOutput out) {
        if (carry) {
            carriedH = new Value(out.hidden().data());
            carriedC = out.memory() == null ? null : new Value(out.memory().data());
        }
        return out;
    }

    /** Initial states must be (L·D,B,H), and only an LSTM has c0. */
    private void checkStates(Value h0, Value c0, int b) {
        Shape expected = Shape.of(layers * directions(), b, hiddenSize);
        checkState("h0", h0, expected);
        if (c0 != null && cell != RNNOps.Cell.LSTM) throw new IllegalArgumentException(this + ": only an LSTM has a cell state c0");
        checkState("c0", c0, expected);
    }

    private void checkState(String name, Value s, Shape expected) {
        if (s != null && !s.shape().equals(expected))
            throw new IllegalArgumentException(this + ": " + name + " must be (layers·directions, B, H) = " + expected + ", got " + s.shape());
    }

    private Value stateAt(Value s, int k, int b) { return s == null ? null : reshape(slice(s, 0, k, k + 1), b, hiddenSize); }

    private static Value stack(List<Value> states) { return states.size() == 1 ? states.get(0) : concat(0, states.toArray(Value[]::new)); }

    @Override public void setTraining(Boolean on) { training = on; }

    @Override public Boolean forcedTraining() { return training; }

    @Override public String toString() {
        String in = embed != null ? embed.toString() : Integer.toString(inputSize);
        return kind() + "(" + in + " => " + hiddenSize + (extra().isEmpty() ? "" : ", " + extra()) + ", layers=" + layers
                + ", bidirectional=" + bidirectional + (dropout > 0 ? ", dropout=" + dropout : "") + (skipInput ? ", skipInput" : "")
                + (carry ? ", carryState" : "") + ")";
    }
}
