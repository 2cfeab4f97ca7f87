package io.github.knetj.cpu.fast;

import io.github.knetj.cpu.ScalarGemm;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The packed, register-blocked float64 matrix product (GotoBLAS structure). For each block of KC steps of the inner
 * dimension, B is packed into panels of NR = 2 vectors of columns and A, block by block of MC rows, into panels of
 * MR = 5 rows; a micro-kernel then keeps a 5×2-vector tile of C in ten registers while it walks the two panels.
 * Transposes are handled while packing and edges by zero-padded panels. In parallel, C is cut into a grid of about
 * 2·threads blocks as square as the shape allows, each computed serially by one task (one fork/join per product; each
 * task packs its own panels, which costs 1/rows + 1/columns of its work). Its float32 twin {@link PackedSgemm} has the
 * same structure.
 */
final class PackedDgemm {
    /** The float32 product's vector width ({@link PackedSgemm#S}: 512-bit where the machine has full-width AVX-512). */
    static final VectorSpecies<Double> S = VectorSpecies.of(double.class, VectorShape.forBitSize(PackedSgemm.S.vectorBitSize()));
    private static final int L = S.length(), MR = 5, NR = 2 * L, KC = 256, MC = 120, NC = 4096;
    /** Below this many multiply-adds packing costs more than it saves. */
    private static final long SMALL = 16 * 16 * 16;
    /** Below this many multiply-adds (tens of microseconds) a product runs on the calling thread. */
    private static final long PARALLEL = 1 << 18;
    private static final ThreadLocal<double[]> A_BLOCK = ThreadLocal.withInitial(() -> new double[MC * KC]);
    private static final ThreadLocal<double[]> B_BLOCK = ThreadLocal.withInitial(() -> new double[NR * KC]);
    private static final ThreadLocal<double[]> EDGE = ThreadLocal.withInitial(() -> new double[MR * NR]);

    private PackedDgemm() {}

    static void gemm(boolean ta, boolean tb, int m, int n, int k, double[] a, int ao, int lda, double[] b, int bo, int ldb,
                     double[] c, int co, int ldc, boolean parallel) {
        if (m == 0 || n == 0 || k == 0) return;
        if ((long) m * n * k <= SMALL) {
            ScalarGemm.INSTANCE.gemm(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, false);
            return;
        }
        if (!parallel || Parallel.threads() == 1 || (long) m * n * k < PARALLEL) {
            block(ta, tb, 0, m, 0, n, k, a, ao, lda, b, bo, ldb, c, co, ldc);
            return;
        }
        int rowPanels = ceil(m, MR), colPanels = ceil(n, NR);
        int[] grid = grid(rowPanels, colPanels, 2 * Parallel.threads());
        int pr = grid[0], pc = grid[1];
        Parallel.forEach(pr * pc, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int i = t / pc, j = t % pc;
                int r0 = Math.min(m, i * rowPanels / pr * MR), r1 = Math.min(m, (i + 1) * rowPanels / pr * MR);
                int c0 = Math.min(n, j * colPanels / pc * NR), c1 = Math.min(n, (j + 1) * colPanels / pc * NR);
                if (r1 > r0 && c1 > c0) block(ta, tb, r0, r1, c0, c1, k, a, ao, lda, b, bo, ldb, c, co, ldc);
            }
        });
    }

    /** Rows × columns of blocks, at most {@code parts} of them, with the smallest packing overhead pr/rows + pc/cols. */
    private static int[] grid(int rowPanels, int colPanels, int parts) {
        for (int p = parts; p > 1; p--) {
            int[] best = null;
            double cost = Double.MAX_VALUE;
            for (int pr = 1; pr <= p; pr++) {
                if (p % pr != 0 || pr > rowPanels || p / pr > colPanels) continue;
                double c = (double) pr / (rowPanels * MR) + (double) (p / pr) / (colPanels * NR);
                if (c < cost) { cost = c; best = new int[] {pr, p / pr}; }
            }
            if (best != null) return best;
        }
        return new int[] {1, 1};
    }

    /** C[r0:r1, c0:c1] += op(A)[r0:r1, :]·op(B)[:, c0:c1] on this thread: the GotoBLAS loops around the micro-kernel. */
    private static void block(boolean ta, boolean tb, int r0, int r1, int c0, int c1, int k, double[] a, int ao, int lda,
                              double[] b, int bo, int ldb, double[] c, int co, int ldc) {
        int m = r1 - r0, n = c1 - c0;
        double[] aPack = A_BLOCK.get(), edge = EDGE.get(), bPack = B_BLOCK.get();
        int need = ceil(Math.min(n, NC), NR) * NR * KC;
        if (bPack.length < need) B_BLOCK.set(bPack = new double[need]);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc), panels = ceil(nc, NR);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                for (int q = 0; q < panels; q++) packB(tb, b, bo, ldb, pc, kc, c0 + jc + q * NR, Math.min(NR, nc - q * NR), bPack, q * NR * kc);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(ta, a, ao, lda, r0 + ic, mc, pc, kc, aPack);
                    for (int q = 0; q < panels; q++) {
                        int j = c0 + jc + q * NR, cols = Math.min(NR, nc - q * NR);
                        for (int ir = 0; ir < mc; ir += MR)
                            kernel(kc, aPack, ir * kc, bPack, q * NR * kc, NR, c, co + (r0 + ic + ir) * ldc + j, ldc, Math.min(MR, mc - ir), cols, edge);
                    }
                }
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

    /**
     * C[rows, cols] += the 5×NR product of one A panel and one B panel; full tiles go straight to C, edges through {@code edge}.
     * B's step {@code bs} is always NR, passed in so that with 16 vector registers the loop steps by a variable, as
     * {@link PackedSgemm#kernel}'s does (why: there).
     */
    private static void kernel(int kc, double[] ap, int ai, double[] bp, int bi, int bs, double[] c, int ci, int ldc, int rows, int cols, double[] edge) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00, c41 = c00;
        int step = PackedSgemm.SIXTEEN_REGISTERS ? bs : NR;
        for (int p = 0; p < kc; p++, ai += MR, bi += step) {
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
            // Written out, as in PackedSgemm.kernel: a helper taking the sums could be left uninlined, and box them.
            DoubleVector.fromArray(S, c, ci).add(c00).intoArray(c, ci);
            DoubleVector.fromArray(S, c, ci + L).add(c01).intoArray(c, ci + L);
            DoubleVector.fromArray(S, c, ci + ldc).add(c10).intoArray(c, ci + ldc);
            DoubleVector.fromArray(S, c, ci + ldc + L).add(c11).intoArray(c, ci + ldc + L);
            DoubleVector.fromArray(S, c, ci + 2 * ldc).add(c20).intoArray(c, ci + 2 * ldc);
            DoubleVector.fromArray(S, c, ci + 2 * ldc + L).add(c21).intoArray(c, ci + 2 * ldc + L);
            DoubleVector.fromArray(S, c, ci + 3 * ldc).add(c30).intoArray(c, ci + 3 * ldc);
            DoubleVector.fromArray(S, c, ci + 3 * ldc + L).add(c31).intoArray(c, ci + 3 * ldc + L);
            DoubleVector.fromArray(S, c, ci + 4 * ldc).add(c40).intoArray(c, ci + 4 * ldc);
            DoubleVector.fromArray(S, c, ci + 4 * ldc + L).add(c41).intoArray(c, ci + 4 * ldc + L);
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
}
