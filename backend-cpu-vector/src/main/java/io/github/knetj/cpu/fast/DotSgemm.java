package io.github.knetj.cpu.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * C += A·Bᵀ for float32 when both A's and B's rows are contiguous along k (a linear layer's x·Wᵀ), as dot products
 * with no packing: a 4×4 tile of C keeps sixteen vector partial sums while it walks four rows of A and four rows of
 * B; each is then summed across lanes in a fixed order. {@link PackedSgemm} would copy B into column panels with a
 * scalar transpose, which for the MLP's 100×784·(100×784)ᵀ cost more than the multiply-adds. Used while B (n·k floats)
 * stays in the L2 cache, since each row tile of A reads all of B again.
 */
final class DotSgemm {
    private static final VectorSpecies<Float> S = PackedSgemm.S;
    private static final int L = S.length(), T = 4;
    /**
     * Where this beats packing, measured here (docs/benchmarks.md): B up to 128 Ki floats (512 KiB, so it stays in L2),
     * k from 512 (each tile's lane sums are a fixed cost: 100×100×256 took 110 µs on one thread against 73 packed,
     * while 100×100×784 takes 98 µs on two against 157) and m up to 256 (from 1,600 rows packing B pays for itself:
     * 1600×256×512 took 3.1 ms against 2.4 packed).
     */
    private static final long MAX_B = 128 * 1024;
    private static final int MIN_K = 512, MAX_M = 256;
    /** A tile's sixteen vectors of partial sums, the one for row r and column q at (r·T + q)·L. */
    private static final ThreadLocal<float[]> SUMS = ThreadLocal.withInitial(() -> new float[T * T * L]);

    private DotSgemm() {}

    static boolean suits(int m, int n, int k) {
        return L == 8 && k >= MIN_K && (long) n * k <= MAX_B && m >= T && m <= MAX_M && n >= T;
    }

    /**
     * Whether the small products of {@link Winograd}'s weight gradient, dU[ξ] += dM[ξ]·V[ξ]ᵀ (outputs × channels, over a
     * block's tiles), suit: at 16 channels, 28×28 (196 tiles) packing both sides for a 16×16 result, half of whose
     * 32-column panel is padding, cost twice the multiply-adds. Here k only needs a dozen vectors or more for the lane
     * sums to be small beside them.
     */
    static boolean suitsSmall(int m, int n, int k) { return (L == 8 || L == 16) && k >= 12 * L && m >= T && n >= T && (long) m * n <= 32 * 32; }

    static void gemm(int m, int n, int k, float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc, boolean parallel) {
        int rowTiles = (m + T - 1) / T, colTiles = (n + T - 1) / T;
        if (!parallel || Parallel.threads() == 1 || (long) m * n * k < PackedSgemm.PARALLEL) {
            tiles(0, m, 0, n, k, a, ao, lda, b, bo, ldb, c, co, ldc);
            return;
        }
        // Rows of tiles when there are enough of them (each part then reads B once per tile row, as serially), else columns.
        int parts = 2 * Parallel.threads();
        boolean byRows = rowTiles >= parts;
        int tilesAlong = byRows ? rowTiles : colTiles;
        int np = Math.min(parts, tilesAlong);
        Parallel.forEach(np, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int t0 = p * tilesAlong / np * T, t1 = (p + 1) * tilesAlong / np * T;
                if (byRows) tiles(t0, Math.min(m, t1), 0, n, k, a, ao, lda, b, bo, ldb, c, co, ldc);
                else tiles(0, m, t0, Math.min(n, t1), k, a, ao, lda, b, bo, ldb, c, co, ldc);
            }
        });
    }

    private static void tiles(int i0, int i1, int j0, int j1, int k, float[] a, int ao, int lda, float[] b, int bo, int ldb,
                              float[] c, int co, int ldc) {
        float[] sums = SUMS.get();
        for (int i = i0; i < i1; i += T) {
            int rows = Math.min(T, i1 - i);
            for (int j = j0; j < j1; j += T) {
                int cols = Math.min(T, j1 - j);
                if (rows == T && cols == T) tile(k, a, ao + i * lda, lda, b, bo + j * ldb, ldb, sums);
                else edge(k, a, ao + i * lda, lda, rows, b, bo + j * ldb, ldb, cols, sums);
                for (int r = 0; r < rows; r++)
                    for (int q = 0; q < cols; q++)
                        c[co + (i + r) * ldc + j + q] += laneSum(sums, (r * T + q) * L) + tail(k, a, ao + (i + r) * lda, b, bo + (j + q) * ldb);
            }
        }
    }

    /**
     * The 4×4 dot products of rows a0..a3 with rows b0..b3 over the whole vectors of k, left as vectors of partial sums
     * in sums. The steps past them are left to {@link #tail}: a masked last step here made the method too big for C1
     * ("out of virtual registers"), and C2 then never compiled it.
     */
    private static void tile(int k, float[] a, int ai, int lda, float[] b, int bi, int ldb, float[] sums) {
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s02 = s00, s03 = s00, s10 = s00, s11 = s00, s12 = s00, s13 = s00,
                s20 = s00, s21 = s00, s22 = s00, s23 = s00, s30 = s00, s31 = s00, s32 = s00, s33 = s00;
        int kv = k - k % L;
        for (int p = 0; p < kv; p += L) {
            FloatVector a0 = FloatVector.fromArray(S, a, ai + p), a1 = FloatVector.fromArray(S, a, ai + lda + p),
                    a2 = FloatVector.fromArray(S, a, ai + 2 * lda + p), a3 = FloatVector.fromArray(S, a, ai + 3 * lda + p);
            FloatVector bq = FloatVector.fromArray(S, b, bi + p);
            s00 = a0.fma(bq, s00); s10 = a1.fma(bq, s10); s20 = a2.fma(bq, s20); s30 = a3.fma(bq, s30);
            bq = FloatVector.fromArray(S, b, bi + ldb + p);
            s01 = a0.fma(bq, s01); s11 = a1.fma(bq, s11); s21 = a2.fma(bq, s21); s31 = a3.fma(bq, s31);
            bq = FloatVector.fromArray(S, b, bi + 2 * ldb + p);
            s02 = a0.fma(bq, s02); s12 = a1.fma(bq, s12); s22 = a2.fma(bq, s22); s32 = a3.fma(bq, s32);
            bq = FloatVector.fromArray(S, b, bi + 3 * ldb + p);
            s03 = a0.fma(bq, s03); s13 = a1.fma(bq, s13); s23 = a2.fma(bq, s23); s33 = a3.fma(bq, s33);
        }
        s00.intoArray(sums, 0); s01.intoArray(sums, L); s02.intoArray(sums, 2 * L); s03.intoArray(sums, 3 * L);
        s10.intoArray(sums, 4 * L); s11.intoArray(sums, 5 * L); s12.intoArray(sums, 6 * L); s13.intoArray(sums, 7 * L);
        s20.intoArray(sums, 8 * L); s21.intoArray(sums, 9 * L); s22.intoArray(sums, 10 * L); s23.intoArray(sums, 11 * L);
        s30.intoArray(sums, 12 * L); s31.intoArray(sums, 13 * L); s32.intoArray(sums, 14 * L); s33.intoArray(sums, 15 * L);
    }

    /**
     * The sum of the eight lanes at s[o ..] as a tree of pairs (lanes 4 apart, then 2, then 1; with 16 lanes, 8 apart
     * first), in scalar code, which
     * every JIT tier computes alike (reduceLanes adds in another order in the interpreter than in C2). Lane sums as
     * vector folds inside {@link #tile} outgrew C2's inlining budget there, and were then called with boxed vectors.
     */
    private static float laneSum(float[] s, int o) {
        if (L == 8) return eight(s[o], s[o + 1], s[o + 2], s[o + 3], s[o + 4], s[o + 5], s[o + 6], s[o + 7]);
        // 16 lanes (suitsSmall only): lanes 8 apart first.
        return eight(s[o] + s[o + 8], s[o + 1] + s[o + 9], s[o + 2] + s[o + 10], s[o + 3] + s[o + 11],
                s[o + 4] + s[o + 12], s[o + 5] + s[o + 13], s[o + 6] + s[o + 14], s[o + 7] + s[o + 15]);
    }

    private static float eight(float x0, float x1, float x2, float x3, float x4, float x5, float x6, float x7) {
        return ((x0 + x4) + (x2 + x6)) + ((x1 + x5) + (x3 + x7));
    }

    /** The steps past the last whole vector of k, in order. */
    private static float tail(int k, float[] a, int ai, float[] b, int bi) {
        float t = 0;
        for (int p = k - k % L; p < k; p++) t = Math.fma(a[ai + p], b[bi + p], t);
        return t;
    }

    /** A tile cut by the edge of C (fewer than 4 rows or columns), one dot product at a time, into sums as in {@link #tile}. */
    private static void edge(int k, float[] a, int ai, int lda, int rows, float[] b, int bi, int ldb, int cols, float[] sums) {
        int kv = k - k % L;
        for (int r = 0; r < rows; r++)
            for (int q = 0; q < cols; q++) {
                FloatVector s = FloatVector.zero(S);
                for (int p = 0; p < kv; p += L)
                    s = FloatVector.fromArray(S, a, ai + r * lda + p).fma(FloatVector.fromArray(S, b, bi + q * ldb + p), s);
                s.intoArray(sums, (r * T + q) * L);
            }
    }
}
