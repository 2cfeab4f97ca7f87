package io.github.knetj.layers;

import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.github.knetj.layers.LayerTesting.on;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitTest {
    @Test
    void xavierUniformStaysInItsBoundWithTheRightSpread() {
        on("reference", DType.FLOAT64, () -> {
            checkUniform(Init.xavierUniform(200, 100), Math.sqrt(6.0 / 300));          // (out, in)
            checkUniform(Init.xavierUniform(16, 8, 3, 3), Math.sqrt(6.0 / (72 + 144)));  // OIHW: fan_in 8·9, fan_out 16·9
            checkUniform(Init.param(300, 50).data(), Math.sqrt(6.0 / 350));
        });
    }

    private static void checkUniform(Tensor t, double bound) {
        double[] v = t.toDoubleArray();
        for (double e : v) assertTrue(Math.abs(e) <= bound, e + " is outside ±" + bound);
        assertEquals(0, mean(v), bound / 20, "mean");
        assertEquals(bound / Math.sqrt(3), std(v), bound / 30, "standard deviation of U(−b, b) is b/√3");
        assertTrue(Arrays.stream(v).max().orElseThrow() > 0.95 * bound, "the draws reach the bound");
    }

    @Test
    void normalInitialisers() {
        on("reference", DType.FLOAT64, () -> {
            double[] v = Init.xavierNormal(200, 100).toDoubleArray();
            assertEquals(0, mean(v), 0.005);
            assertEquals(Math.sqrt(2.0 / 300), std(v), 0.004);
            double[] g = Init.gaussian(0.5, 100, 100).toDoubleArray();
            assertEquals(0, mean(g), 0.02);
            assertEquals(0.5, std(g), 0.02);
        });
    }

    @Test
    void constantsAndParams() {
        on("reference", DType.FLOAT32, () -> {
            assertArrayEquals(new double[6], Init.zeros(2, 3).toDoubleArray(), 0);
            assertArrayEquals(new double[]{1, 1}, Init.ones(2).toDoubleArray(), 0);
            var p = Init.param0(4);
            assertEquals(Shape.of(4), p.shape());
            assertEquals(DType.FLOAT32, p.dtype(), "on Defaults.dtype()");
            assertEquals("reference", Init.param(2, 2).backend().name(), "on Defaults.backend()");
        });
    }

    @Test
    void theSameSeedGivesTheSameModel() {
        on("reference", DType.FLOAT64, () -> {
            Init.seed(42);
            MLP a = new MLP(3, 5, 2);
            Init.seed(42);
            MLP b = new MLP(3, 5, 2);
            MLP c = new MLP(3, 5, 2);
            for (int i = 0; i < a.params().size(); i++)
                assertArrayEquals(a.params().get(i).data().toDoubleArray(), b.params().get(i).data().toDoubleArray(), 0);
            assertFalse(Arrays.equals(b.params().get(0).data().toDoubleArray(), c.params().get(0).data().toDoubleArray()),
                    "the counter moves on: the next model differs");
            assertFalse(Arrays.equals(a.params().get(0).data().toDoubleArray(), a.params().get(2).data().toDoubleArray()));
        });
    }

    @Test
    void theSameSeedGivesTheSameNumbersOnEveryBackend() {
        double[][] drawn = new double[2][];
        on("reference", DType.FLOAT64, () -> drawn[0] = Init.xavierUniform(4, 4).toDoubleArray());
        on("cpu", DType.FLOAT64, () -> drawn[1] = Init.xavierUniform(4, 4).toDoubleArray());
        assertArrayEquals(drawn[0], drawn[1], 0);
    }

    private static double mean(double[] v) { return Arrays.stream(v).average().orElseThrow(); }

    private static double std(double[] v) {
        double m = mean(v);
        return Math.sqrt(Arrays.stream(v).map(e -> (e - m) * (e - m)).sum() / v.length);
    }
}
