package io.github.knetj.layers.rnn;

import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.layers.Embed;
import io.github.knetj.layers.Params;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static io.github.knetj.autograd.Ops.slice;
import static io.github.knetj.layers.rnn.RNNTesting.input;
import static io.github.knetj.layers.rnn.RNNTesting.on;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shapes, printing, ragged batches, embeddings and dropout of the recurrent layers. */
class RecurrentTest {
    @Test
    void printsSizesLayersAndDirections() {
        on("reference", DType.FLOAT64, () -> {
            assertEquals("LSTM(256 => 512, layers=1, bidirectional=false)", new LSTM(256, 512).toString());
            assertEquals("GRU(3 => 4, layers=2, bidirectional=true, dropout=0.1)",
                    new GRU(3, 4, RNNConfig.defaults().layers(2).bidirectional(true).dropout(0.1)).toString());
            assertEquals("RNN(4 => 8, relu, layers=1, bidirectional=false)", RNN.relu(4, 8).toString());
            assertEquals("LSTM(Embed(10 => 6) => 5, layers=1, bidirectional=false)", new LSTM(10, 5, RNNConfig.defaults().embed(6)).toString());
        });
    }

    @Test
    void shapesOfOutputsStatesAndWeights() {
        on("reference", DType.FLOAT64, () -> {
            LSTM lstm = new LSTM(3, 4, RNNConfig.defaults().layers(2).bidirectional(true));
            RNNOutput out = lstm.forward(input(2, 5, 3));
            assertEquals(Shape.of(2, 5, 8), out.y().shape(), "y is (B,T,D·H)");
            assertEquals(Shape.of(4, 2, 4), out.hidden().shape(), "hidden is (L·D,B,H)");
            assertEquals(Shape.of(4, 2, 4), out.memory().shape());
            assertNull(out.indices());
            assertEquals(Shape.of(16, 3), lstm.weights(0, 1).wIh().shape());
            assertEquals(Shape.of(16, 8), lstm.weights(1, 0).wIh().shape(), "layer 1 reads both directions");
            assertEquals(List.of("cells.l0.wIh", "cells.l0.wHh", "cells.l0.bIh", "cells.l0.bHh", "cells.l0_reverse.wIh"),
                    Params.named(lstm).keySet().stream().limit(5).toList());
            assertEquals(16, lstm.params().size());
            assertNull(new GRU(3, 4).forward(input(2, 5, 3)).memory(), "only an LSTM has a memory");
        });
    }

    /**
     * Each sequence of an unsorted ragged batch gets exactly what it gets alone, in the caller's order. The batch (16
     * tokens of a 7-token vocabulary) runs its first layer on the projected table, each sequence alone on the looked-up
     * embeddings: the two ways agree to rounding.
     */
    @Test
    void raggedBatchesAreSortedRunAndPutBack() {
        on("reference", DType.FLOAT64, () -> {
            LSTM lstm = new LSTM(7, 3, RNNConfig.defaults().embed(4).layers(2).bidirectional(true));
            List<int[]> batch = List.of(new int[]{1, 2}, new int[]{3, 4, 5, 6}, new int[]{0}, new int[]{6, 5, 4});
            RNNOutput out = lstm.forward(batch);
            assertArrayEquals(new int[]{1, 3, 0, 2}, out.indices(), "caller indices by decreasing length");
            assertEquals(Shape.of(4, 4, 6), out.y().shape());
            for (int b = 0; b < batch.size(); b++) {
                int[] s = batch.get(b);
                RNNOutput alone = lstm.forward(new int[][]{s});
                double[] y = slice(out.y(), 0, b, b + 1).data().toDoubleArray();
                assertArrayEquals(alone.y().data().toDoubleArray(), Arrays.copyOf(y, s.length * 6), 1e-12, "y of sequence " + b);
                for (int i = s.length * 6; i < y.length; i++) assertEquals(0, y[i], 0.0, "y of sequence " + b + " past its end");
                assertArrayEquals(alone.hidden().data().toDoubleArray(), slice(out.hidden(), 1, b, b + 1).data().toDoubleArray(), 1e-12, "hidden of sequence " + b);
                assertArrayEquals(alone.memory().data().toDoubleArray(), slice(out.memory(), 1, b, b + 1).data().toDoubleArray(), 1e-12, "memory of sequence " + b);
            }
        });
    }

    @Test
    void tokenMatricesAndSharedEmbeddings() {
        on("reference", DType.FLOAT64, () -> {
            Embed embed = new Embed(9, 4);
            GRU gru = new GRU(9, 3, RNNConfig.defaults().embed(embed));
            assertSame(embed, gru.embed());
            Value ids = io.github.knetj.autograd.Ops.array(new double[]{1, 2, 3, 8, 7, 6}, 2, 3);
            RNNOutput fromValue = gru.forward(ids);
            RNNOutput fromRows = gru.forward(new int[][]{{1, 2, 3}, {8, 7, 6}});
            assertArrayEquals(fromValue.y().data().toDoubleArray(), fromRows.y().data().toDoubleArray(), 1e-15);
            assertThrows(IllegalArgumentException.class, () -> new GRU(8, 3, RNNConfig.defaults().embed(embed)));
        });
    }

    @Test
    void dropoutActsBetweenLayersOnlyWhileTraining() {
        on("reference", DType.FLOAT64, () -> {
            RNN rnn = new RNN(2, 6, "tanh", RNNConfig.defaults().layers(2).dropout(0.5));
            Value x = input(2, 3, 2);
            double[] eval1 = rnn.forward(x).y().data().toDoubleArray(), eval2 = rnn.forward(x).y().data().toDoubleArray();
            assertArrayEquals(eval1, eval2, 0.0, "no dropout outside diff");
            rnn.setTraining(true);
            assertFalse(Arrays.equals(eval1, rnn.forward(x).y().data().toDoubleArray()), "dropout while training");
            rnn.setTraining(null);
        });
    }

    @Test
    void errorsNameTheLayerAndShapes() {
        on("reference", DType.FLOAT64, () -> {
            LSTM lstm = new LSTM(3, 4);
            var e = assertThrows(IllegalArgumentException.class, () -> lstm.forward(input(2, 5, 2)));
            assertEquals("LSTM(3 => 4, layers=1, bidirectional=false): expected dense input (B,T,3) or one step (B,3), got shape [2, 5, 2]", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> lstm.forward(input(2, 5, 3), input(2, 2, 4), null));
            assertTrue(e.getMessage().contains("h0 must be (layers·directions, B, H) = [1, 2, 4], got [2, 2, 4]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> new GRU(3, 4).forward(input(2, 5, 3), null, input(1, 2, 4)));
            assertTrue(e.getMessage().contains("only an LSTM has a cell state"), e.getMessage());
            LSTM tokens = new LSTM(5, 4, RNNConfig.defaults().embed(3));
            e = assertThrows(IllegalArgumentException.class, () -> tokens.forward(List.of(new int[]{1}, new int[]{2, 3}), input(2, 4), null));
            assertTrue(e.getMessage().contains("h0 must be (layers·directions, B, H) = [1, 2, 4], got [2, 4]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> tokens.forward(new int[][]{{1}, {}}));
            assertTrue(e.getMessage().contains("sequence 1 of the batch is empty"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> lstm.forward(List.of(new int[]{1})));
            assertTrue(e.getMessage().contains("needs an embedding"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new RNN(3, 4, "sigmoid", RNNConfig.defaults()));
        });
    }
}
