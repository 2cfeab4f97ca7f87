package io.github.knetj.cpu.fast;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SharedPanels}, the packed product of large operands on two threads, against a naive product in double: C += op(A)·op(B)
 * into a C that holds values, and C = op(A)·op(B) + bias; and bit for bit against the same product on one thread
 * (the serial loops), for every transpose. (517, 263, 500) has a 2×2 grid, so every transpose comes here; it cuts the
 * last row panel, the last column panel and the second block of steps short. (2000, 40, 900) has a 4×1 grid, so only
 * the transposed A's come here (their steps are rows in memory); k = 900 ends in a run of 4 steps.
 */
class SharedPanelsTest {
    private static final int[][] SIZES = {{517, 263, 500}, {2000, 40, 900}};

    @Test void largeProductsAddStoreAndTakeTheirBiasAsTheNaiveProductAndTheSerialOne() {
        int before = Parallel.threads();
        try {
            long seed = 1;
            for (int[] s : SIZES) for (int t = 0; t < 4; t++) check(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, seed++);
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static void check(int m, int n, int k, boolean ta, boolean tb, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = NaiveProduct.random(r, m * k), b = NaiveProduct.random(r, k * n), c0 = NaiveProduct.random(r, m * n), bias = NaiveProduct.random(r, n);
        int lda = ta ? m : k, ldb = tb ? k : n;
        int[] grid = PackedSgemm.grid(PackedSgemm.ceil(m, PackedSgemm.ROW_UNIT), PackedSgemm.ceil(n, PackedSgemm.NR), 4);
        Parallel.setThreads(2);
        boolean shared = SharedPanels.suits(new PackedSgemm.StridedA(ta, a, 0, lda), m, n, k, grid[1]);
        assertTrue(shared || !ta && grid[1] == 1, "expected (" + m + "," + n + "," + k + ") ta=" + ta + " on shared panels");
        float[] added = c0.clone(), stored = new float[m * n];
        PackedSgemm.gemm(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, added, 0, n, true);
        assertTrue(PackedSgemm.gemmInto(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, stored, 0, n, bias, true));
        Parallel.setThreads(1);
        float[] serialAdded = c0.clone(), serialStored = new float[m * n];
        PackedSgemm.gemm(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, serialAdded, 0, n, true);
        PackedSgemm.gemmInto(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, serialStored, 0, n, bias, true);
        String what = "(" + m + "," + n + "," + k + ") ta=" + ta + " tb=" + tb + (shared ? " shared" : " grid");
        NaiveProduct want = NaiveProduct.of(a, b, m, n, k, ta, tb);
        for (int at = 0; at < m * n; at++) {
            String where = ", element (" + at / n + "," + at % n + ")";
            assertEquals(c0[at] + want.sum()[at], added[at], want.tolerance()[at], what + ", C += A·B" + where);
            assertEquals(want.sum()[at] + bias[at % n], stored[at], want.tolerance()[at], what + ", C = A·B + bias" + where);
            assertEquals(Float.floatToRawIntBits(serialAdded[at]), Float.floatToRawIntBits(added[at]), what + ": one thread and two differ at " + at);
            assertEquals(Float.floatToRawIntBits(serialStored[at]), Float.floatToRawIntBits(stored[at]), what + ": one thread and two differ at " + at);
        }
    }

}
