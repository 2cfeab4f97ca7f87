package io.github.knetj.cpu.fast;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TallKernel}'s panels of ten rows against the naive product in double, on one thread (the serial loops) and two
 * (the grid and {@link SharedPanels}): A packed per product and once beforehand ({@link PackedSgemm#pack}, as for a
 * convolution's weights), each transpose, C added to and overwritten, and rows that end in a partial panel. The row
 * counts straddle {@link TallKernel#pays}: 20 and 50 rows (a LeNet layer's channels), 100, 64 and 517 (70 against 65
 * and 520 against 520 padded rows, partial last panels) go into tall panels; 24 and 33 stay in panels of five (30
 * against 25, 40 against 35).
 */
class TallKernelTest {
    private static final int[][] SIZES = {{20, 300, 257}, {24, 300, 40}, {33, 290, 300}, {50, 64, 500}, {64, 333, 100}, {100, 500, 800},
                                          {517, 300, 260}};

    @Test void tallPanelsAreUsedWhereTheirPaddingPays() {
        if (!TallKernel.ENABLED) return;   // 256-bit vectors: five-row panels only, which the other tests cover
        assertTrue(TallKernel.pays(20) && TallKernel.pays(50) && TallKernel.pays(100) && TallKernel.pays(64) && TallKernel.pays(517));
        assertTrue(!TallKernel.pays(24) && !TallKernel.pays(33));
    }

    @Test void productsThroughEitherPanelHeightEqualTheNaiveProduct() {
        int before = Parallel.threads();
        try {
            long seed = 1;
            for (int threads = 1; threads <= 2; threads++) {
                Parallel.setThreads(threads);
                for (int[] s : SIZES) for (int t = 0; t < 4; t++) check(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, seed++);
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static void check(int m, int n, int k, boolean ta, boolean tb, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = NaiveProduct.random(r, m * k), b = NaiveProduct.random(r, k * n), c0 = NaiveProduct.random(r, m * n);
        int lda = ta ? m : k, ldb = tb ? k : n;
        float[] added = c0.clone(), stored = new float[m * n], prePacked = new float[m * n];
        PackedSgemm.gemm(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, added, 0, n, true);
        assertTrue(PackedSgemm.gemmInto(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, stored, 0, n, true));
        PackedSgemm.PackedA packed = PackedSgemm.pack(ta, m, k, a, 0, lda);
        assertEquals(TallKernel.pays(m), packed.tall(), "(" + m + ") packed in tall panels");
        PackedSgemm.gemmInto(packed, n, (pc, kc, j, cols, dst, off) -> PanelPacking.packB(tb, b, 0, ldb, pc, kc, j, cols, dst, off), prePacked, 0, n, true);
        String what = "(" + m + "," + n + "," + k + ") ta=" + ta + " tb=" + tb + " threads=" + Parallel.threads();
        NaiveProduct want = NaiveProduct.of(a, b, m, n, k, ta, tb);
        for (int at = 0; at < m * n; at++) {
            String where = ", element (" + at / n + "," + at % n + ")";
            assertEquals(c0[at] + want.sum()[at], added[at], want.tolerance()[at], what + ", C += A·B" + where);
            assertEquals(want.sum()[at], stored[at], want.tolerance()[at], what + ", C = A·B" + where);
            assertEquals(want.sum()[at], prePacked[at], want.tolerance()[at], what + ", C = A·B with A packed once" + where);
        }
    }

}
