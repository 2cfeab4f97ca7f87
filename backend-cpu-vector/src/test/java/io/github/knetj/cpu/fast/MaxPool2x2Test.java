package io.github.knetj.cpu.fast;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The float32 2×2 stride-2 max-pooling path (SIMD and scalar) against the general path, which float64 takes, on data
 * full of ties, NaNs and −0 gradients, over odd sizes and rows with and without a vector tail: bit for bit equal.
 */
class MaxPool2x2Test {
    private static final int[][] SHAPES = {{2, 3, 9, 13}, {1, 2, 24, 24}, {3, 1, 8, 8}, {1, 1, 2, 2}, {2, 2, 5, 17}};

    @Test void specialisedPathMatchesTheGeneralOneBitForBit() {
        SplittableRandom r = new SplittableRandom(11);
        Pool2d p = Pool2d.of(2);
        for (Backend be : new Backend[] {new CpuBackend(true), new CpuBackend(false)}) for (int[] s : SHAPES) {
            Shape xs = Shape.of(s), ys = p.outputShape(xs);
            double[] x = new double[xs.sizeInt()], dy = new double[ys.sizeInt()];
            // Few distinct values, so most windows hold ties; a few NaNs, and −0 among the gradients.
            for (int i = 0; i < x.length; i++) x[i] = r.nextInt(50) == 0 ? Double.NaN : r.nextInt(3) - 1;
            for (int i = 0; i < dy.length; i++) dy[i] = r.nextInt(4) == 0 ? -0.0 : r.nextInt(7) - 3;
            Tensor x32 = be.memory().fromArray(x, xs, DType.FLOAT32), x64 = be.memory().fromArray(x, xs, DType.FLOAT64);
            Tensor dy32 = be.memory().fromArray(dy, ys, DType.FLOAT32), dy64 = be.memory().fromArray(dy, ys, DType.FLOAT64);
            assertBits(be.convolution().maxPool2d(x64, p), be.convolution().maxPool2d(x32, p), "forward " + xs + " " + be);
            assertBits(be.convolution().maxPool2dBackward(dy64, x64, p), be.convolution().maxPool2dBackward(dy32, x32, p), "backward " + xs + " " + be);
        }
    }

    private static void assertBits(Tensor expected, Tensor got, String what) {
        double[] e = expected.toDoubleArray(), g = got.toDoubleArray();
        for (int i = 0; i < e.length; i++)
            assertEquals(Double.doubleToLongBits(e[i]), Double.doubleToLongBits(g[i]), what + " at " + i + ": " + e[i] + " vs " + g[i]);
    }
}
