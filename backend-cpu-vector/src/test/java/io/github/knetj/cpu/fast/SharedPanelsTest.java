package io.github.knetj.cpu.fast;

import org.junit.jupiter.api.Test;

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
        int lda = ta ? m : k;
        int[] grid = PackedSgemm.grid(PackedSgemm.ceil(m, PackedSgemm.ROW_UNIT), PackedSgemm.ceil(n, PackedSgemm.NR), 4);
        Parallel.setThreads(2);
        boolean shared = SharedPanels.suits(new PackedSgemm.StridedA(ta, new float[0], 0, lda), m, n, k, grid[1]);
        assertTrue(shared || !ta && grid[1] == 1, "expected (" + m + "," + n + "," + k + ") ta=" + ta + " on shared panels");
        assertTrue(NaiveProduct.checkTwoThreadsAgainstOne(m, n, k, ta, tb, seed, shared ? "shared" : "grid"), "the packed product declined C = A·B + bias");
    }
}
