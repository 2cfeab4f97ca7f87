package io.github.knetj.layers.rnn;

import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.layers.Init;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.github.knetj.layers.rnn.RNNTesting.on;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading and writing the weights gate by gate, in PyTorch's stacking order. */
class GatesViewTest {
    @Test
    void gatesAreRowBlocksInPyTorchOrder() {
        on("reference", DType.FLOAT64, () -> {
            LSTM lstm = new LSTM(3, 2, RNNConfig.defaults().bidirectional(true));
            GatesView view = lstm.gates();
            assertEquals(List.of("i", "f", "g", "o"), view.names());
            assertEquals(List.of("r", "z", "n"), new GRU(3, 2).gates().names());
            assertEquals(List.of("h"), RNN.relu(3, 2).gates().names());
            GatesView.Gate g = view.get(0, 1, "g");
            assertEquals(Shape.of(2, 3), g.wIh().shape());
            assertEquals(Shape.of(2, 2), g.wHh().shape());
            assertEquals(Shape.of(2), g.bIh().shape());
            double[] all = lstm.weights(0, 1).wIh().data().toDoubleArray();
            assertArrayEquals(java.util.Arrays.copyOfRange(all, 2 * 2 * 3, 3 * 2 * 3), g.wIh().toDoubleArray(), 0.0, "gate g is rows 2H..3H");
        });
    }

    @Test
    void writesReplaceOnlyThatGate() {
        on("reference", DType.FLOAT64, () -> {
            GRU gru = new GRU(3, 2);
            GatesView view = gru.gates();
            double[] before = gru.weights(0, 0).bHh().data().toDoubleArray();
            view.set(0, 0, "z", view.get(0, 0, "z").withBiases(1.0));
            double[] after = gru.weights(0, 0).bHh().data().toDoubleArray();
            assertArrayEquals(new double[]{before[0], before[1], 1, 1, before[4], before[5]}, after, 0.0);
            Tensor w = Init.ones(2, 3);
            view.set(0, 0, "n", new GatesView.Gate(w, null, null, null));
            assertArrayEquals(w.toDoubleArray(), view.get(0, 0, "n").wIh().toDoubleArray(), 0.0);
            var e = assertThrows(IllegalArgumentException.class, () -> view.set(0, 0, "n", new GatesView.Gate(Init.ones(3, 3), null, null, null)));
            assertTrue(e.getMessage().contains("gate \"n\" wIh must be [2, 3], got [3, 3]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> view.get(0, 0, "f"));
            assertTrue(e.getMessage().contains("no gate \"f\"; gates are [r, z, n]"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> view.get(1, 0, "r"));
        });
    }
}
