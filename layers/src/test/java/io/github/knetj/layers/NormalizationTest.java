package io.github.knetj.layers;

import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AutoGrad;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;

import static io.github.knetj.autograd.Ops.array;
import static io.github.knetj.autograd.Ops.sum;
import static io.github.knetj.layers.LayerTesting.gradcheck;
import static io.github.knetj.layers.LayerTesting.input;
import static io.github.knetj.layers.LayerTesting.on;
import static io.github.knetj.layers.LayerTesting.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dropout, BatchNorm and LayerNorm: gradients, and training against evaluation. */
class NormalizationTest {
    @ParameterizedTest(name = "{0}") @MethodSource("io.github.knetj.layers.LayerTesting#backends")
    void gradients(String backend) {
        on(backend, DType.FLOAT64, () -> {
            // a gradient check evaluates the loss outside diff too, so the training behaviour is forced
            Dropout drop = new Dropout(0.3).train();
            Param x = input(3, 4);
            gradcheck(drop.toString(), () -> { Init.seed(9); return drop.apply(x); }, drop, Map.of("x", x));   // one mask throughout
            gradcheck(new BatchNorm(3).train(), input(4, 3));
            gradcheck(new BatchNorm(2).train(), input(2, 2, 2, 3));
            gradcheck(new BatchNorm(2).eval(), input(2, 2, 2, 3));
            gradcheck(new LayerNorm(4), input(2, 3, 4));
        });
    }

    @Test
    void dropoutTrainsOnlyInsideDiffUnlessForced() {
        on("reference", DType.FLOAT64, () -> {
            Value ones = new Value(Init.ones(40, 50));
            Dropout d = new Dropout(0.5);
            assertSame(ones, d.apply(ones), "outside diff (evaluation) dropout is the identity");
            Value[] inside = new Value[1];
            Param w = new Param(Init.ones(1));
            AutoGrad.diff(() -> { inside[0] = d.apply(io.github.knetj.autograd.Ops.mul(ones, w)); return sum(inside[0]); });
            assertDropped(values(inside[0]), 0.5);
            assertDropped(values(d.train().apply(ones)), 0.5);
            assertEquals("Dropout(0.5, train)", d.toString());
            AutoGrad.diff(() -> { inside[0] = d.eval().apply(io.github.knetj.autograd.Ops.mul(ones, w)); return sum(inside[0]); });
            assertArrayEquals(values(ones), values(inside[0]), 0, "forced evaluation keeps everything inside diff");
            d.setTraining(null);
            assertSame(ones, d.apply(ones));
            assertEquals("Dropout(0.5)", d.toString());
        });
    }

    /** About a fraction p is zero and the rest is scaled by 1/(1 − p). */
    private static void assertDropped(double[] v, double p) {
        int zeros = 0;
        for (double e : v) {
            if (e == 0) zeros++;
            else assertEquals(1 / (1 - p), e, 1e-12);
        }
        double fraction = (double) zeros / v.length;
        assertTrue(Math.abs(fraction - p) < 0.05, "dropped " + fraction + ", expected about " + p);
    }

    @Test
    void dropoutMasksReplayWithTheSeed() {
        on("reference", DType.FLOAT64, () -> {
            Dropout d = new Dropout(0.5).train();
            Value x = new Value(Init.ones(8, 8));
            Init.seed(3);
            double[] a = values(d.apply(x)), b = values(d.apply(x));
            Init.seed(3);
            assertArrayEquals(a, values(d.apply(x)), 0);
            assertTrue(!java.util.Arrays.equals(a, b), "each call draws a fresh mask");
        });
    }

    @Test
    void batchNormUpdatesRunningStatisticsAndEvaluatesWithThem() {
        on("reference", DType.FLOAT64, () -> {
            BatchNorm bn = new BatchNorm(2);
            // channel 0: 1, 2, 3, 4 (mean 2.5, unbiased var 5/3); channel 1: 10, 10, 10, 10 (mean 10, var 0)
            Value x = array(new double[]{1, 10, 2, 10, 3, 10, 4, 10}, 4, 2);
            double[] y = values(bn.train().apply(x));
            double s = Math.sqrt(1.25 + 1e-5);
            assertArrayEquals(new double[]{-1.5 / s, 0, -0.5 / s, 0, 0.5 / s, 0, 1.5 / s, 0}, y, 1e-12, "training normalises by the batch");
            assertArrayEquals(new double[]{0.25, 1.0}, bn.stats().mean().toDoubleArray(), 1e-12);
            assertArrayEquals(new double[]{0.9 + 0.1 * 5 / 3.0, 0.9}, bn.stats().var().toDoubleArray(), 1e-12);

            double[] e = values(bn.eval().apply(x));
            double v0 = Math.sqrt(0.9 + 0.5 / 3 + 1e-5), v1 = Math.sqrt(0.9 + 1e-5);
            assertArrayEquals(new double[]{(1 - 0.25) / v0, 9 / v1, 1.75 / v0, 9 / v1, 2.75 / v0, 9 / v1, 3.75 / v0, 9 / v1}, e, 1e-12,
                    "evaluation uses the running statistics");
            assertArrayEquals(new double[]{0.25, 1.0}, bn.stats().mean().toDoubleArray(), 1e-12, "evaluation leaves them alone");

            bn.setTraining(null);   // Knet's default: outside diff it evaluates
            assertArrayEquals(e, values(bn.apply(x)), 1e-12);
            AutoGrad.diff(() -> sum(bn.apply(io.github.knetj.autograd.Ops.mul(x, new Param(Init.ones(1))))));
            assertArrayEquals(new double[]{0.25 * 0.9 + 0.25, 1.9}, bn.stats().mean().toDoubleArray(), 1e-12, "inside diff it trains");
        });
    }

    @Test
    void layerNormNormalisesRows() {
        on("reference", DType.FLOAT64, () -> {
            double[] y = values(new LayerNorm(4).apply(array(new double[]{1, 2, 3, 4, 2, 2, 2, 6}, 2, 4)));
            double s1 = Math.sqrt(1.25 + 1e-5), s2 = Math.sqrt(3 + 1e-5);
            assertArrayEquals(new double[]{-1.5 / s1, -0.5 / s1, 0.5 / s1, 1.5 / s1, -1 / s2, -1 / s2, -1 / s2, 3 / s2}, y, 1e-12);
        });
    }

    @Test
    void shapesNamesAndErrors() {
        on("reference", DType.FLOAT64, () -> {
            assertEquals(Shape.of(2, 3, 4, 4), new BatchNorm(3).apply(input(2, 3, 4, 4)).shape());
            assertEquals("BatchNorm(16)", new BatchNorm(16).toString());
            assertEquals("BatchNorm(16, momentum=0.01, eval)", new BatchNorm(16, 0.01, 1e-5).eval().toString());
            assertEquals("LayerNorm(64)", new LayerNorm(64).toString());
            assertEquals("Dropout(0.5)", new Dropout(0.5).toString());
            assertEquals(2, new BatchNorm(3).params().size(), "γ and β are parameters, the running statistics are not");
            String m = assertThrows(IllegalArgumentException.class, () -> new BatchNorm(3).apply(input(2, 4))).getMessage();
            assertTrue(m.contains("BatchNorm(3)") && m.contains("[2, 4]"), m);
            m = assertThrows(IllegalArgumentException.class, () -> new LayerNorm(3).apply(input(2, 4))).getMessage();
            assertTrue(m.contains("LayerNorm(3)") && m.contains("[2, 4]"), m);
            assertThrows(IllegalArgumentException.class, () -> new Dropout(1));
        });
    }
}
