package io.github.knetj.layers;

import io.github.knetj.api.DType;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.data.Batch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;

import static io.github.knetj.autograd.Ops.array;
import static io.github.knetj.layers.LayerTesting.gradcheck;
import static io.github.knetj.layers.LayerTesting.input;
import static io.github.knetj.layers.LayerTesting.on;
import static io.github.knetj.layers.Losses.accuracy;
import static io.github.knetj.layers.Losses.bce;
import static io.github.knetj.layers.Losses.crossEntropy;
import static io.github.knetj.layers.Losses.logistic;
import static io.github.knetj.layers.Losses.mse;
import static io.github.knetj.layers.Losses.nll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossesTest {
    @ParameterizedTest(name = "{0}") @MethodSource("io.github.knetj.layers.LayerTesting#backends")
    void gradients(String backend) {
        on(backend, DType.FLOAT64, () -> {
            int[] labels = {2, 0, 1};
            Param x = input(3, 4);
            Value t01 = array(new double[]{1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 1, 1}, 3, 4);
            Value pm1 = array(new double[]{1, -1, -1, 1, 1, -1, 1, -1, -1, -1, 1, 1}, 3, 4);
            Dense model = new Dense(4, 4, null);
            gradcheck("crossEntropy", () -> crossEntropy(model.apply(x), labels), model, Map.of("x", x));
            gradcheck("nll", () -> nll(new LogSoftmax().apply(x), labels), model, Map.of("x", x));
            gradcheck("bce", () -> bce(x, t01), List.of(), Map.of("x", x));
            gradcheck("logistic", () -> logistic(x, pm1), List.of(), Map.of("x", x));
            gradcheck("mse", () -> mse(model.apply(x), t01), model, Map.of("x", x));
        });
    }

    @Test
    void values() {
        on("reference", DType.FLOAT64, () -> {
            Value scores = array(new double[]{2, 0, 0, 3}, 2, 2);
            double l0 = Math.log(1 + Math.exp(-2)), l1 = Math.log(1 + Math.exp(-3));
            assertEquals((l0 + l1) / 2, crossEntropy(scores, new int[]{0, 1}).item(), 1e-12);
            assertEquals((l0 + l1) / 2, nll(new LogSoftmax().apply(scores), new int[]{0, 1}).item(), 1e-12);
            assertEquals(2.5, mse(array(new double[]{1, 2}, 2), array(new double[]{0, 0}, 2)).item(), 1e-12);
            assertEquals(Math.log(1 + Math.exp(-2)), logistic(array(new double[]{2}, 1), array(new double[]{1}, 1)).item(), 1e-12);
            assertEquals(Math.log(1 + Math.exp(2)), bce(array(new double[]{2}, 1), array(new double[]{0}, 1)).item(), 1e-12);
            assertEquals(0.5, accuracy(scores, new int[]{0, 0}));
        });
    }

    @Test
    void accuracyOverADataSet() {
        on("reference", DType.FLOAT64, () -> {
            List<Batch> data = List.of(
                    new Batch(array(new double[]{1, 0, 0, 1, 1, 0}, 3, 2), new int[]{0, 1, 1}),   // 2 of 3 right
                    new Batch(array(new double[]{0, 1}, 1, 2), new int[]{1}));                    // 1 of 1 right
            Layer identity = x -> x;
            assertEquals(0.75, accuracy(identity, data), 1e-15, "counted by example, not by batch");
            record Pair(Value x, int[] y) {}
            List<Pair> pairs = List.of(new Pair(data.get(0).x(), data.get(0).labels()));
            assertEquals(2 / 3.0, accuracy(identity, pairs, Pair::x, Pair::y), 1e-15);
            assertThrows(IllegalArgumentException.class, () -> accuracy(identity, List.of()));
        });
    }

    @Test
    void wrongLabelsAreClearErrors() {
        on("reference", DType.FLOAT64, () -> {
            Value scores = input(2, 3);
            String m = assertThrows(IllegalArgumentException.class, () -> crossEntropy(scores, new int[]{0, 3})).getMessage();
            assertTrue(m.contains("crossEntropy") && m.contains("label 3") && m.contains("[2, 3]"), m);
            m = assertThrows(IllegalArgumentException.class, () -> nll(scores, new int[]{0})).getMessage();
            assertTrue(m.contains("nll") && m.contains("1 labels"), m);
            m = assertThrows(IllegalArgumentException.class, () -> mse(scores, input(3, 2))).getMessage();
            assertTrue(m.contains("mse") && m.contains("[2, 3]") && m.contains("[3, 2]"), m);
        });
    }
}
