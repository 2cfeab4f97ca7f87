package io.github.knetj.cpu.fast;

import org.junit.jupiter.api.Test;

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
            float[] a = new float[0];   // the rule reads only the transpose and the row stride
            assertTrue(PackedSgemm.splitsColumnsOnly(new PackedSgemm.StridedA(false, a, 0, 784), null, 100, 100), "the MLP's x·W1ᵀ");
            assertFalse(PackedSgemm.splitsColumnsOnly(new PackedSgemm.StridedA(true, a, 0, 100), null, 100, 784), "25 panels: A is packed");
            assertFalse(PackedSgemm.splitsColumnsOnly(new PackedSgemm.StridedA(false, a, 0, 784), null, PackedSgemm.MC + 1, 100), "taller than a row block");
            assertFalse(PackedSgemm.splitsColumnsOnly(new PackedSgemm.StridedA(false, a, 0, 784), null, 100, PackedSgemm.NR), "one panel for two threads");
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static void check(int m, int n, int k, boolean ta, boolean tb, long seed) {
        Parallel.setThreads(2);
        boolean columns = PackedSgemm.splitsColumnsOnly(new PackedSgemm.StridedA(ta, new float[0], 0, ta ? m : k), null, m, n);
        NaiveProduct.checkTwoThreadsAgainstOne(m, n, k, ta, tb, seed, columns ? "by columns" : "grid");
    }
}
