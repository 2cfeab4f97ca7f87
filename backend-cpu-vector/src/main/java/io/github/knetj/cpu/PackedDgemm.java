package io.github.knetj.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The packed, register-blocked float64 matrix product (GotoBLAS structure). For each block of KC steps of the inner
 * dimension, B is packed into panels of NR = 2 vectors of columns and A, block by block of MC rows, into panels of
 * MR = 5 rows; a micro-kernel then keeps a 5×2-vector tile of C in ten registers while it walks the two panels.
 * Transposes are handled while packing, edges by zero-padded panels, and parallelism by giving each task its own rows
 * (or, when there are few rows, its own columns) of C. Its float32 twin {@link PackedSgemm} has the same structure.
 */
final class PackedDgemm {
    /** At most 256-bit vectors: measured faster than 512-bit here, and 10 accumulators + 3 fit 16 registers. */
    static final VectorSpecies<Double> S = VectorSpecies.of(double.class,
            VectorShape.forBitSize(Math.min(256, DoubleVector.SPECIES_PREFERRED.vectorBitSize())));
    private static final int L = S.length(), MR = 5, NR = 2 * L, KC = 256, MC = 120, NC = 4096;
    /** Below this many multiply-adds packing costs more than it saves. */
    private static final long SMALL = 16 * 16 * 16;
    private static final ThreadLocal<double[]> A_BLOCK = ThreadLocal.withInitial(() -> new double[MC * KC]);
    private static final ThreadLocal<double[]> EDGE = ThreadLocal.withInitial(() -> new double[MR * NR]);

    private PackedDgemm() {}

    static void gemm(boolean ta, boolean tb, int m, int n, int k, double[] a, int ao, int lda, double[] b, int bo, int ldb,
                     double[] c, int co, int ldc, boolean parallel) {
        if (m == 0 || n == 0 || k == 0) return;
        if ((long) m * n * k <= SMALL) {
            ScalarGemm.INSTANCE.gemm(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, false);
            return;
        }
        int threads = parallel ? Parallel.threads() : 1;
        double[] bPack = new double[ceil(Math.min(n, NC), NR) * NR * KC];
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc), panels = ceil(nc, NR);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc), jc0 = jc, pc0 = pc;
                Parallel.Range packB = (q0, q1) -> { for (int q = q0; q < q1; q++) packB(tb, b, bo, ldb, pc0, kc, jc0 + q * NR, Math.min(NR, nc - q * NR), bPack, q * NR * kc); };
                if (threads > 1) Parallel.forRange(panels, 8, packB);
                else packB.run(0, panels);
                int rowBlocks = ceil(m, MC);
                int colChunks = Math.max(1, Math.min(panels, ceil(2 * threads, rowBlocks)));
                Parallel.Range tasks = (t0, t1) -> {
                    double[] aPack = A_BLOCK.get(), edge = EDGE.get();
                    int packed = -1;
                    for (int t = t0; t < t1; t++) {
                        int rb = t / colChunks, cc = t % colChunks, ic = rb * MC, mc = Math.min(MC, m - ic);
                        if (rb != packed) { packA(ta, a, ao, lda, ic, mc, pc0, kc, aPack); packed = rb; }
                        int q0 = (int) ((long) cc * panels / colChunks), q1 = (int) ((long) (cc + 1) * panels / colChunks);
                        for (int q = q0; q < q1; q++) {
                            int j = jc0 + q * NR, cols = Math.min(NR, n - j);
                            for (int ir = 0; ir < mc; ir += MR)
                                kernel(kc, aPack, ir * kc, bPack, q * NR * kc, c, co + (ic + ir) * ldc + j, ldc, Math.min(MR, mc - ir), cols, edge);
                        }
                    }
                };
                if (threads > 1) Parallel.forRange(rowBlocks * colChunks, 1, tasks);
                else tasks.run(0, rowBlocks * colChunks);
            }
        }
    }

    private static int ceil(int x, int d) { return (x + d - 1) / d; }

    /** Rows [ic, ic+mc) and steps [pc, pc+kc) of op(A) into panels of MR rows: panel r holds A(ic+r·MR+ii, pc+p) at r·MR·kc + p·MR + ii. */
    private static void packA(boolean ta, double[] a, int ao, int lda, int ic, int mc, int pc, int kc, double[] dst) {
        for (int r0 = 0; r0 < mc; r0 += MR) {
            int rows = Math.min(MR, mc - r0), base = r0 * kc;
            for (int ii = 0; ii < MR; ii++) {
                if (ii >= rows) {
                    for (int p = 0; p < kc; p++) dst[base + p * MR + ii] = 0;
                } else if (ta) {
                    int src = ao + pc * lda + ic + r0 + ii;
                    for (int p = 0; p < kc; p++) dst[base + p * MR + ii] = a[src + p * lda];
                } else {
                    int src = ao + (ic + r0 + ii) * lda + pc;
                    for (int p = 0; p < kc; p++) dst[base + p * MR + ii] = a[src + p];
                }
            }
        }
    }

    /** Columns [j, j+cols) and steps [pc, pc+kc) of op(B) into one panel: B(pc+p, j+jj) at off + p·NR + jj, zero-padded to NR. */
    private static void packB(boolean tb, double[] b, int bo, int ldb, int pc, int kc, int j, int cols, double[] dst, int off) {
        if (tb) {
            for (int jj = 0; jj < NR; jj++) {
                if (jj >= cols) {
                    for (int p = 0; p < kc; p++) dst[off + p * NR + jj] = 0;
                } else {
                    int src = bo + (j + jj) * ldb + pc;
                    for (int p = 0; p < kc; p++) dst[off + p * NR + jj] = b[src + p];
                }
            }
        } else {
            for (int p = 0; p < kc; p++) {
                int src = bo + (pc + p) * ldb + j, d = off + p * NR;
                System.arraycopy(b, src, dst, d, cols);
                for (int jj = cols; jj < NR; jj++) dst[d + jj] = 0;
            }
        }
    }

    /** C[rows, cols] += the 5×NR product of one A panel and one B panel; full tiles go straight to C, edges through {@code edge}. */
    private static void kernel(int kc, double[] ap, int ai, double[] bp, int bi, double[] c, int ci, int ldc, int rows, int cols, double[] edge) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00, c41 = c00;
        for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bi), b1 = DoubleVector.fromArray(S, bp, bi + L);
            DoubleVector a = DoubleVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = DoubleVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = DoubleVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = DoubleVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = DoubleVector.broadcast(S, ap[ai + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
        }
        if (rows == MR && cols == NR) {
            addInto(c, ci, c00, c01);
            addInto(c, ci + ldc, c10, c11);
            addInto(c, ci + 2 * ldc, c20, c21);
            addInto(c, ci + 3 * ldc, c30, c31);
            addInto(c, ci + 4 * ldc, c40, c41);
            return;
        }
        c00.intoArray(edge, 0);
        c01.intoArray(edge, L);
        c10.intoArray(edge, NR);
        c11.intoArray(edge, NR + L);
        c20.intoArray(edge, 2 * NR);
        c21.intoArray(edge, 2 * NR + L);
        c30.intoArray(edge, 3 * NR);
        c31.intoArray(edge, 3 * NR + L);
        c40.intoArray(edge, 4 * NR);
        c41.intoArray(edge, 4 * NR + L);
        for (int r = 0; r < rows; r++) for (int j = 0; j < cols; j++) c[ci + r * ldc + j] += edge[r * NR + j];
    }

    private static void addInto(double[] c, int ci, DoubleVector lo, DoubleVector hi) {
        DoubleVector.fromArray(S, c, ci).add(lo).intoArray(c, ci);
        DoubleVector.fromArray(S, c, ci + L).add(hi).intoArray(c, ci + L);
    }
}
