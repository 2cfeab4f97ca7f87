package io.github.knetj.cpu.fast;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PackedSgemm}'s products whose A is read in place and at most one row block high, which two threads split by
 * C's columns only ({@link PackedSgemm#splitsColumnsOnly}): against a naive product in double, and bit for bit against
 * the same product on one thread. (100, 100, 784) with B transposed is the MLP's x·W1ᵀ (four column panels, the last
 * 4 columns wide; k ends in a block of 16 steps); (120, 70, 300) has three panels for two threads; (37, 256, 520) eight,
 * with A transposed; (100, 784, 100), the MLP's weight gradient, has too many panels to read A in place and keeps the
 * grid.
 */
class ColumnSplitTest {
    private static final int[][] SIZES = {{100, 100, 784}, {120, 70, 300}, {37, 256, 520}};

    @Test void productsSplitByColumnsMatchTheNaiveProductAndTheSerialOne() {
        int before = Parallel.threads();
        try {
            long seed = 7;
            for (int[] s : SIZES) for (int t = 0; t < 4; t++) check(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, seed++);
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test void onlyInPlaceOperandsOfOneRowBlockSplitByColumns() {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(2);
            float[] a = new float[1000 * 784];
            assertTrue(PackedSgemm.splitsColumnsOnly(new PackedSgemm.StridedA(false, a, 0, 784), null, 100, 100), "the MLP's x·W1ᵀ");
            assertFalse(PackedSgemm.splitsColumnsOnly(new PackedSgemm.StridedA(true, a, 0, 100), null, 100, 784), "25 panels: A is packed");
            assertFalse(PackedSgemm.splitsColumnsOnly(new PackedSgemm.StridedA(false, a, 0, 784), null, PackedSgemm.MC + 1, 100), "taller than a row block");
            assertFalse(PackedSgemm.splitsColumnsOnly(new PackedSgemm.StridedA(false, a, 0, 784), null, 100, PackedSgemm.NR), "one panel for two threads");
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static void check(int m, int n, int k, boolean ta, boolean tb, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = NaiveProduct.random(r, m * k), b = NaiveProduct.random(r, k * n), c0 = NaiveProduct.random(r, m * n), bias = NaiveProduct.random(r, n);
        int lda = ta ? m : k, ldb = tb ? k : n;
        Parallel.setThreads(2);
        boolean columns = PackedSgemm.splitsColumnsOnly(new PackedSgemm.StridedA(ta, a, 0, lda), null, m, n);
        float[] added = c0.clone(), stored = new float[m * n];
        PackedSgemm.gemm(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, added, 0, n, true);
        // False where DotSgemm takes A·Bᵀ (8-lane vectors): then only C += A·B comes here.
        boolean packs = PackedSgemm.gemmInto(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, stored, 0, n, bias, true);
        Parallel.setThreads(1);
        float[] serialAdded = c0.clone(), serialStored = new float[m * n];
        PackedSgemm.gemm(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, serialAdded, 0, n, true);
        PackedSgemm.gemmInto(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, serialStored, 0, n, bias, true);
        String what = "(" + m + "," + n + "," + k + ") ta=" + ta + " tb=" + tb + (columns ? " by columns" : " grid");
        NaiveProduct want = NaiveProduct.of(a, b, m, n, k, ta, tb);
        for (int at = 0; at < m * n; at++) {
            String where = ", element (" + at / n + "," + at % n + ")";
            assertEquals(c0[at] + want.sum()[at], added[at], want.tolerance()[at], what + ", C += A·B" + where);
            if (packs) assertEquals(want.sum()[at] + bias[at % n], stored[at], want.tolerance()[at], what + ", C = A·B + bias" + where);
            assertEquals(Float.floatToRawIntBits(serialAdded[at]), Float.floatToRawIntBits(added[at]), what + ": one thread and two differ at " + at);
            assertEquals(Float.floatToRawIntBits(serialStored[at]), Float.floatToRawIntBits(stored[at]), what + ": one thread and two differ at " + at);
        }
    }
}
