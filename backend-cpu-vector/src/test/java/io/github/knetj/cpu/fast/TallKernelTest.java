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
        float[] a = random(r, m * k), b = random(r, k * n), c0 = random(r, m * n);
        int lda = ta ? m : k, ldb = tb ? k : n;
        float[] added = c0.clone(), stored = new float[m * n], prePacked = new float[m * n];
        PackedSgemm.gemm(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, added, 0, n, true);
        assertTrue(PackedSgemm.gemmInto(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, stored, 0, n, true));
        PackedSgemm.PackedA packed = PackedSgemm.pack(ta, m, k, a, 0, lda);
        assertEquals(TallKernel.pays(m), packed.tall(), "(" + m + ") packed in tall panels");
        PackedSgemm.gemmInto(packed, n, (pc, kc, j, cols, dst, off) -> PanelPacking.packB(tb, b, 0, ldb, pc, kc, j, cols, dst, off), prePacked, 0, n, true);
        String what = "(" + m + "," + n + "," + k + ") ta=" + ta + " tb=" + tb + " threads=" + Parallel.threads();
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
            double sum = 0, mag = 0;
            for (int p = 0; p < k; p++) {
                double x = a[ta ? p * lda + i : i * lda + p], y = b[tb ? j * ldb + p : p * ldb + j];
                sum += x * y;
                mag += Math.abs(x * y);
            }
            int at = i * n + j;
            double tol = 1e-5 * (mag + 1);
            assertEquals(c0[at] + sum, added[at], tol, what + ", C += A·B, element (" + i + "," + j + ")");
            assertEquals(sum, stored[at], tol, what + ", C = A·B, element (" + i + "," + j + ")");
            assertEquals(sum, prePacked[at], tol, what + ", C = A·B with A packed once, element (" + i + "," + j + ")");
        }
    }

    private static float[] random(SplittableRandom r, int size) {
        float[] v = new float[size];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble(-1, 1);
        return v;
    }
}
