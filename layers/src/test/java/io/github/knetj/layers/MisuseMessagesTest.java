package io.github.knetj.layers;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Conv2d;
import io.github.knetj.api.DType;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.autograd.NNOps;
import io.github.knetj.autograd.Ops;
import io.github.knetj.tck.BackendUnderTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The errors the issue found unclear now name the op or layer and the values at fault; seeding is per thread. */
class MisuseMessagesTest {
    private Backend saved;

    @BeforeEach void reference() { saved = Defaults.backend(); Defaults.backend(BackendUnderTest.get("reference")); Defaults.dtype(DType.FLOAT64); }

    @AfterEach void restore() { Defaults.backend(saved); Defaults.dtype(DType.FLOAT32); }

    private static String message(Runnable r) { return assertThrows(IllegalArgumentException.class, r::run).getMessage(); }

    @Test void opAndLayerErrorsNameWhatFailed() {
        Value x = Ops.array(new double[]{1, 2, 3, 4, 5, 6}, 2, 3);
        assertTrue(message(() -> Ops.reshape(x, -1, -1)).startsWith("reshape: cannot reshape [2, 3] to [-1, -1]"));
        assertTrue(message(() -> NNOps.softmax(x, 5)).startsWith("softmax: axis 5 is out of range for shape [2, 3]"));
        assertTrue(message(() -> NNOps.logsoftmax(x, -3)).startsWith("logsoftmax: axis -3"));
        Value scores = Ops.array(new double[]{1, 2, 3}, 3);
        assertTrue(message(() -> NNOps.crossEntropy(scores, new int[]{1})).startsWith("crossEntropy: expected scores (N, C) with N = 1 labels, got [3]"));
        assertTrue(message(() -> new Dense(-1, 5)).startsWith("Dense(-1 => 5): every size must be >= 1"));
        assertTrue(message(() -> new Linear(3, 0)).startsWith("Linear(3 => 0)"));
        assertTrue(message(() -> new Conv(3, 3, 0, 4)).startsWith("Conv(3x3, 0 => 4)"));
        assertTrue(message(() -> new Embed(10, -2)).startsWith("Embed(10 => -2)"));
        Value img = new Value(Defaults.backend().memory().ones(io.github.knetj.api.Shape.of(1, 1, 2, 2), DType.FLOAT64));
        Value w = new Value(Defaults.backend().memory().ones(io.github.knetj.api.Shape.of(1, 1, 3, 3), DType.FLOAT64));
        assertTrue(message(() -> NNOps.deconv4(w, img, Conv2d.of(1, 4, 1))).startsWith("conv_transpose2d: x [1, 1, 2, 2]"));
    }

    @Test void twoThreadsSeedingAtOnceGetTheWeightsEachGetsAlone() throws Exception {
        Init.seed(7);
        double[] alone = new Dense(30, 20).w().data().toDoubleArray();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 12; round++) {
                List<Future<double[]>> runs = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    Callable<double[]> build = () -> {
                        Init.seed(7);
                        List<double[]> ws = new ArrayList<>();
                        for (int k = 0; k < 20; k++) { Init.seed(7); ws.add(new Dense(30, 20).w().data().toDoubleArray()); }
                        return ws.get(19);
                    };
                    runs.add(pool.submit(build));
                }
                for (Future<double[]> f : runs) assertArrayEquals(alone, f.get(), "round " + round);
            }
        } finally {
            pool.shutdown();
        }
    }
}
