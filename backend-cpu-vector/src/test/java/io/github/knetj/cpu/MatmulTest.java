package io.github.knetj.cpu;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packed matrix product against a naive triple loop in double: edge sizes around the micro-tile (5 × 2 vectors)
 * and the KC = 256 block, every transpose combination, both dtypes, SIMD on and off, and the batched forms. The
 * A·Bᵀ sizes with k ≥ 512 and small m run {@link io.github.knetj.cpu.fast.DotSgemm} in float32 with SIMD on: (121, 97, 513) cuts its 4×4 tiles and
 * its 8-float vectors on every edge and splits by rows, (10, 200, 600) splits by columns, (100, 100, 784) is the MLP's.
 */
class MatmulTest {
    private static final Backend[] BACKENDS = {new CpuBackend(true), new CpuBackend(false)};
    /** (m, n, k): single elements, sizes just off the 5-row and 16/32-column tiles, k across the 256 block, one large. */
    private static final int[][] SIZES = {{1, 1, 1}, {1, 40, 3}, {5, 16, 7}, {6, 17, 33}, {4, 15, 300}, {13, 35, 257},
                                          {33, 1, 65}, {130, 70, 40}, {121, 97, 513}, {10, 200, 600}, {100, 100, 784}};

    static Tensor random(Backend b, SplittableRandom r, Shape s, DType d) {
        double[] v = new double[s.sizeInt()];
        for (int i = 0; i < v.length; i++) v[i] = r.nextDouble(-1, 1);
        return b.memory().fromArray(v, s, d);
    }

    /** op(a)·op(b) of one batch, in double, with the error bound Σ|a||b| of each element. */
    static double[][] naive(double[] a, int ao, double[] b, int bo, int m, int n, int k, boolean ta, boolean tb, int lda, int ldb) {
        double[][] out = new double[2][m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
            double s = 0, mag = 0;
            for (int p = 0; p < k; p++) {
                double x = a[ao + (ta ? p * lda + i : i * lda + p)], y = b[bo + (tb ? j * ldb + p : p * ldb + j)];
                s += x * y;
                mag += Math.abs(x * y);
            }
            out[0][i * n + j] = s;
            out[1][i * n + j] = mag;
        }
        return out;
    }

    private static void check(Backend be, DType d, int batches, boolean aBatched, boolean bBatched, int m, int n, int k, boolean ta, boolean tb, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Shape as = ta ? Shape.of(k, m) : Shape.of(m, k), bs = tb ? Shape.of(n, k) : Shape.of(k, n);
        if (aBatched) as = Shape.of(batches, as.dim(0), as.dim(1));
        if (bBatched) bs = Shape.of(batches, bs.dim(0), bs.dim(1));
        Tensor a = random(be, r, as, d), b = random(be, r, bs, d);
        double[] y = be.linalg().matmul(a, b, ta, tb).toDoubleArray(), av = a.toDoubleArray(), bv = b.toDoubleArray();
        assertEquals((long) batches * m * n, y.length);
        double tol = d == DType.FLOAT32 ? 1e-5 : 1e-13;
        for (int s = 0; s < batches; s++) {
            double[][] e = naive(av, aBatched ? s * m * k : 0, bv, bBatched ? s * k * n : 0, m, n, k, ta, tb, as.dim(-1), bs.dim(-1));
            for (int i = 0; i < m * n; i++) {
                double err = Math.abs(y[s * m * n + i] - e[0][i]);
                int at = i;
                assertTrue(err <= tol * (e[1][i] + 1), () -> "matmul " + d + " " + be.device() + " (" + m + "," + n + "," + k + ") ta=" + ta + " tb=" + tb
                        + " batch " + " element " + at + ": " + err + " off");
            }
        }
    }

    @Test void twoDimensionalEdgeSizesAllTransposes() {
        long seed = 1;
        for (Backend be : BACKENDS) for (DType d : DType.values()) for (int[] s : SIZES)
            for (int t = 0; t < 4; t++) check(be, d, 1, false, false, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, seed++);
    }

    @Test void batchedThreeDimensional() {
        long seed = 100;
        for (Backend be : BACKENDS) for (DType d : DType.values()) for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
            check(be, d, 3, true, true, 7, 19, 21, ta, tb, seed++);         // small: parallel across batches
            check(be, d, 2, true, true, 130, 129, 128, ta, tb, seed++);     // large: parallel inside each product
        }
    }

    @Test void threeDimensionalTimesTwoDimensional() {
        long seed = 200;
        for (Backend be : BACKENDS) for (DType d : DType.values()) for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
            check(be, d, 4, true, false, 9, 23, 17, ta, tb, seed++);        // no transA: one (B·m, k) product
            check(be, d, 2, true, false, 60, 70, 300, ta, tb, seed++);
        }
    }

    @Test void zeroSizedInnerDimensionGivesZeros() {
        for (Backend be : BACKENDS) {
            Tensor a = be.memory().zeros(Shape.of(3, 0), DType.FLOAT32), b = be.memory().zeros(Shape.of(0, 4), DType.FLOAT32);
            Tensor y = be.linalg().matmul(a, b);
            assertEquals(Shape.of(3, 4), y.shape());
            for (double v : y.toDoubleArray()) assertEquals(0.0, v);
        }
    }
}
