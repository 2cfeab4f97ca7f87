package io.github.knetj.layers.rnn;

import io.github.knetj.api.DType;
import io.github.knetj.autograd.AutoGrad;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.layers.Init;
import io.github.knetj.layers.Params;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.github.knetj.autograd.Ops.*;
import static io.github.knetj.layers.rnn.RNNTesting.on;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Knet's recurrent options: skipInput (closed form), winit/binit/finit, seed, carried states (against one longer
 * call), one step from 2-D input, and KnetLayers' padding helpers.
 */
class RecurrentOptionsTest {
    private static double[] v(Value x) { return x.data().toDoubleArray(); }

    @Test void skipInputAddsTheInputToTheGateUnweighted() {
        on("reference", DType.FLOAT64, () -> {
            RNN rnn = new RNN(3, 3, "tanh", RNNConfig.defaults().skipInput(true).binit(Init::zeros));
            assertNull(rnn.weights(0, 0).wIh());
            assertTrue(rnn.toString().contains("skipInput"), rnn.toString());
            assertEquals(3, Params.of(rnn).size(), "wHh and the two biases; no input weights");
            double[] x = {0.5, -1, 2, 0.1, 0.2, 0.3};
            // one step from h0 = 0: h = tanh(x + b_ih + b_hh) = tanh(x)
            Value y = rnn.forward(array(x, 2, 3)).y();
            double[] want = new double[6];
            for (int i = 0; i < 6; i++) want[i] = Math.tanh(x[i]);
            assertArrayEquals(want, v(y), 1e-14);
            assertThrows(IllegalArgumentException.class, () -> new LSTM(4, 3, RNNConfig.defaults().skipInput(true)));
            Param xp = new Param(array(x, 2, 1, 3).data());
            Value g = AutoGrad.diff(() -> sum(rnn.forward(xp).y())).grad(xp);
            for (int i = 0; i < 6; i++) assertEquals(1 - want[i] * want[i], v(g)[i], 1e-14, "∂tanh(x)/∂x through the skipped input");
        });
    }

    @Test void winitBinitFinitAndSeed() {
        on("reference", DType.FLOAT64, () -> {
            LSTM lstm = new LSTM(2, 3, RNNConfig.defaults().winit(Init::ones).binit(Init::zeros).finit(1));
            assertArrayEquals(new double[24], lstm.weights(0, 0).wIh().data().toDoubleArray(), 1, "winit fills with ones: every entry is 1");
            for (double w : lstm.weights(0, 0).wHh().data().toDoubleArray()) assertEquals(1, w);
            double[] b = lstm.weights(0, 0).bIh().data().toDoubleArray();
            assertArrayEquals(new double[]{0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0}, b, 0, "only the forget gate (rows H..2H) starts at finit");
            assertArrayEquals(b, lstm.weights(0, 0).bHh().data().toDoubleArray(), 0, "both biases, as Knet's finit");
            assertThrows(IllegalArgumentException.class, () -> new GRU(2, 3, RNNConfig.defaults().finit(1)));

            Init.seed(7);
            GRU a = new GRU(2, 3, RNNConfig.defaults().seed(42));
            Init.seed(99);
            Init.nextSeed();
            GRU same = new GRU(2, 3, RNNConfig.defaults().seed(42)), other = new GRU(2, 3, RNNConfig.defaults().seed(43));
            assertArrayEquals(v(a.weights(0, 0).wHh()), v(same.weights(0, 0).wHh()), 0, "the layer's seed alone decides its weights");
            assertFalse(java.util.Arrays.equals(v(a.weights(0, 0).wHh()), v(other.weights(0, 0).wHh())));
        });
    }

    @Test void carriedStatesContinueWhereTheLastCallEnded() {
        on("reference", DType.FLOAT64, () -> {
            LSTM lstm = new LSTM(2, 3);
            double[] x = new double[2 * 4 * 2];
            for (int i = 0; i < x.length; i++) x[i] = Math.sin(i);
            Value whole = array(x, 2, 4, 2);
            RNNOutput full = lstm.forward(whole);
            lstm.carryState(true);
            RNNOutput first = lstm.forward(slice(whole, 1, 0, 2));
            RNNOutput second = lstm.forward(slice(whole, 1, 2, 4));
            assertArrayEquals(v(slice(full.y(), 1, 2, 4)), v(second.y()), 1e-14, "steps 3 and 4 as if in one call");
            assertArrayEquals(v(full.hidden()), v(second.hidden()), 1e-14);
            assertArrayEquals(v(full.memory()), v(lstm.carriedMemory()), 1e-14);
            assertFalse(lstm.carriedHidden().tracked(), "carried states are detached");
            lstm.resetState();
            assertArrayEquals(v(first.y()), v(lstm.forward(slice(whole, 1, 0, 2)).y()), 0, "after a reset the next call starts from zeros");
            assertTrue(lstm.toString().contains("carryState"));
        });
    }

    @Test void oneStepFromTwoDimensionalInput() {
        on("reference", DType.FLOAT64, () -> {
            GRU gru = new GRU(2, 3);
            Value h0 = array(new double[]{0.1, 0.2, 0.3, -0.1, -0.2, -0.3}, 1, 2, 3);
            Value x = array(new double[]{1, 2, 3, 4}, 2, 2);
            RNNOutput step = gru.forward(x, h0, null), seq = gru.forward(reshape(x, 2, 1, 2), h0, null);
            assertArrayEquals(new int[]{2, 3}, step.y().shape().dims());
            assertArrayEquals(v(seq.y()), v(step.y()), 0);
            assertArrayEquals(v(seq.hidden()), v(step.hidden()), 0);
        });
    }

    @Test void padSequenceArrayAndTheMaskOfARaggedRun() {
        on("reference", DType.FLOAT64, () -> {
            List<int[]> batch = List.of(new int[]{3, 1}, new int[]{2, 4, 5}, new int[]{6});
            assertArrayEquals(new int[][]{{3, 1, 0}, {2, 4, 5}, {6, 0, 0}}, Sequences.padSequenceArray(batch, 0));
            assertArrayEquals(new double[]{1, 1, 0, 1, 1, 1, 1, 0, 0}, v(Sequences.mask(batch)), 0);
            LSTM lstm = new LSTM(7, 2, RNNConfig.defaults().embed(3));
            Sequences.Padded p = Sequences.padRNNOutput(lstm.forward(batch), batch);
            double[] y = v(p.y()), m = v(p.mask());
            for (int b = 0; b < 3; b++)
                for (int t = 0; t < 3; t++)
                    for (int h = 0; h < 2; h++) if (m[b * 3 + t] == 0) assertEquals(0, y[(b * 3 + t) * 2 + h], 0, "padding steps are zero");
            assertThrows(IllegalArgumentException.class, () -> Sequences.mask(List.of()));
        });
    }
}
