package io.github.knetj.cpu.fast;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link DotSgemm}, the A·Bᵀ path of {@link PackedSgemm} for small m and long k (moved here from MatmulTest). */
class DotSgemmTest {
    /** The dot-product path sums lanes with moves and adds only, so its bits must not change once C2 compiles it. */
    @Test void dotProductPathGivesTheSameBitsBeforeAndAfterWarmUp() {
        int m = 13, n = 22, k = 523;
        assertTrue(PackedSgemm.S.length() != 8 || DotSgemm.suits(m, n, k));
        SplittableRandom r = new SplittableRandom(7);
        float[] a = new float[m * k], b = new float[n * k];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble(-1, 1);
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextDouble(-1, 1);
        float[] first = new float[m * n], c = new float[m * n];
        PackedSgemm.gemm(false, true, m, n, k, a, 0, k, b, 0, k, first, 0, n, false);
        for (int w = 0; w < 3000; w++) {
            java.util.Arrays.fill(c, 0);
            PackedSgemm.gemm(false, true, m, n, k, a, 0, k, b, 0, k, c, 0, n, false);
        }
        for (int i = 0; i < c.length; i++)
            assertEquals(Float.floatToRawIntBits(first[i]), Float.floatToRawIntBits(c[i]), "element " + i + " changed after warm-up");
    }
}
