package io.github.knetj.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
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
    private static final ThreadLocal<float[]> SUMS = ThreadLocal.withInitial(() -> new float[T * T * L]);
    /** Where {@link #edge} spills one vector of partial sums: the last slot of SUMS, past the 16 results. */
    private static final int SCRATCH = 15 * L;

    private DotSgemm() {}

    static boolean suits(int m, int n, int k) {
        return L == 8 && k >= MIN_K && (long) n * k <= MAX_B && m >= T && m <= MAX_M && n >= T;
    }

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
                        c[co + (i + r) * ldc + j + q] += sums[at(r, q)] + tail(k, a, ao + (i + r) * lda, b, bo + (j + q) * ldb);
            }
        }
    }

    /**
     * The 4×4 dot products of rows a0..a3 with rows b0..b3 over the whole vectors of k: rows 0–1 at sums[0 .. 8), rows
     * 2–3 at sums[8L .. 8L+8). The steps past them are left to {@link #tail}: a masked last step here made the method too
     * big for C1 ("out of virtual registers"), and C2 then never compiled it.
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
        laneSums(sums, 0);
        laneSums(sums, 8 * L);
    }

    /**
     * The lane sums of the eight vectors at s[o ..], written as one vector over the first. A method of its own, with
     * the vectors in memory: with the sums inside {@link #tile} C1 ran out of registers and C2 never compiled it.
     */
    private static void laneSums(float[] s, int o) {
        FloatVector v0 = FloatVector.fromArray(S, s, o), v1 = FloatVector.fromArray(S, s, o + L),
                v2 = FloatVector.fromArray(S, s, o + 2 * L), v3 = FloatVector.fromArray(S, s, o + 3 * L),
                v4 = FloatVector.fromArray(S, s, o + 4 * L), v5 = FloatVector.fromArray(S, s, o + 5 * L),
                v6 = FloatVector.fromArray(S, s, o + 6 * L), v7 = FloatVector.fromArray(S, s, o + 7 * L);
        fold(fold(fold(v0, v4, HALF), fold(v2, v6, HALF), QUARTER), fold(fold(v1, v5, HALF), fold(v3, v7, HALF), QUARTER), EIGHTH)
                .intoArray(s, o);
    }

    /**
     * One round of a lane sum of two vectors: each adds itself turned by half its span, and the result keeps half its
     * lanes from each. Three rounds over eight vectors v0..v7, paired (0,4), (2,6), (1,5), (3,7) in the first, leave
     * the eight sums in order. Lanewise adds and moves only, so every JIT tier gives the same bits (reduceLanes adds in
     * another order in the interpreter than in C2).
     */
    private static FloatVector fold(FloatVector x, FloatVector y, Turn t) {
        return x.add(x.rearrange(t.shuffle)).blend(y.add(y.rearrange(t.shuffle)), t.fromY);
    }

    /** One round of {@link #laneSums}: lanes swap with the lane {@code span} away; lanes {@code fromY} come from y. */
    private record Turn(VectorShuffle<Float> shuffle, VectorMask<Float> fromY) {
        static Turn of(int span) {
            int[] idx = new int[L];
            boolean[] y = new boolean[L];
            for (int i = 0; i < L; i++) {
                idx[i] = i ^ span;
                y[i] = (i & span) != 0;
            }
            return new Turn(VectorShuffle.fromArray(S, idx, 0), VectorMask.fromArray(S, y, 0));
        }
    }

    private static final Turn HALF = Turn.of(4), QUARTER = Turn.of(2), EIGHTH = Turn.of(1);

    /** Where the sum for row r, column q of a tile lies in SUMS after {@link #tile} (two rows per lane-summed vector). */
    private static int at(int r, int q) { return (r >> 1) * 8 * L + (r & 1) * T + q; }

    /** The steps past the last whole vector of k, in order. */
    private static float tail(int k, float[] a, int ai, float[] b, int bi) {
        float t = 0;
        for (int p = k - k % L; p < k; p++) t = Math.fma(a[ai + p], b[bi + p], t);
        return t;
    }

    /** A tile cut by the edge of C (fewer than 4 rows or columns), one dot product at a time, lanes summed in order. */
    private static void edge(int k, float[] a, int ai, int lda, int rows, float[] b, int bi, int ldb, int cols, float[] sums) {
        int kv = k - k % L;
        for (int r = 0; r < rows; r++)
            for (int q = 0; q < cols; q++) {
                FloatVector s = FloatVector.zero(S);
                for (int p = 0; p < kv; p += L)
                    s = FloatVector.fromArray(S, a, ai + r * lda + p).fma(FloatVector.fromArray(S, b, bi + q * ldb + p), s);
                s.intoArray(sums, SCRATCH);
                float x = 0;
                for (int l = 0; l < L; l++) x += sums[SCRATCH + l];
                sums[at(r, q)] = x;
            }
    }
}
