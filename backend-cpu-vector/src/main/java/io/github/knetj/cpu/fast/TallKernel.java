package io.github.knetj.cpu.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import static io.github.knetj.cpu.fast.PackedSgemm.L;
import static io.github.knetj.cpu.fast.PackedSgemm.NR;

/**
 * {@link PackedSgemm}'s micro-kernel on tall tiles: TR = 10 rows × NR columns, 20 sums in registers, for 512-bit
 * vectors (AVX-512's 32 registers hold the sums, two B vectors and a broadcast; with AVX2's 16 they would spill).
 * Each step loads two vectors of B and broadcasts ten floats of A for 20 multiply-adds, against 2 and 5 for 10 in
 * the 5-row kernel: fewer loads and loop instructions per multiply-add. With A and B in L1/L2 on one core of the
 * 2026-12-07 Xeon, tiles of 5 rows ran at 129–146 GFLOP/s, 8 at 147–164, 10 at 145–159, 12 at 154–175 (a pure
 * multiply-add loop: 194–200); ten rows won because they divide the row counts of the products that matter (a
 * batch of 100, LeNet's 20 and 50 channels, 500 and 800 features) where twelve pad them by up to a fifth.
 * <p>
 * A tall panel is TR rows of op(A) interleaved step by step ({@link PanelPacking#packTall}), as the panels of five
 * are. Used where A is packed from a matrix, per product or once beforehand ({@link PackedSgemm#pack}), and its rows
 * are many enough that the last panel's padding costs less than the kernel gains ({@link #pays}); A read in place
 * (few B panels) or packed from an image keeps the 5-row panels, whose kernels read it there.
 */
final class TallKernel {
    /** Rows of a tall panel. */
    static final int TR = 10;
    /** Whether tall tiles are used at all: on 512-bit vectors, unless {@code -Dknetj.cpu.shortTiles=true} (for comparisons). */
    static final boolean ENABLED = PackedSgemm.S.length() >= 16 && !Boolean.getBoolean("knetj.cpu.shortTiles");
    private static final VectorSpecies<Float> S = PackedSgemm.S;

    private TallKernel() {}

    /**
     * Whether {@code rows} of A go into tall panels: on 512-bit vectors, when the padded rows are at most 10% more than
     * in panels of five (64 rows: 70 against 65, yes; 24: 30 against 25, no; every multiple of 10, yes).
     */
    static boolean pays(int rows) {
        return ENABLED && PackedSgemm.ceil(rows, TR) * TR * 10 <= PackedSgemm.ceil(rows, PackedSgemm.MR) * PackedSgemm.MR * 11;
    }

    /**
     * C[rows, cols] += (or = when {@code store}) the TR×NR product of one tall A panel and one B panel, as
     * {@link PackedSgemm#kernel} for 5 rows; edges go through {@code edge} (TR·NR floats).
     */
    static void kernel(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc, int rows, int cols, float[] edge, boolean store) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00, c41 = c00,
                c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00, c80 = c00, c81 = c00, c90 = c00, c91 = c00;
        for (int p = 0; p < kc; p++, ai += TR, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, ap[ai + 6]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, ap[ai + 7]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
            a = FloatVector.broadcast(S, ap[ai + 8]);
            c80 = a.fma(b0, c80);
            c81 = a.fma(b1, c81);
            a = FloatVector.broadcast(S, ap[ai + 9]);
            c90 = a.fma(b0, c90);
            c91 = a.fma(b1, c91);
        }
        // Written out, as in PackedSgemm.kernel: a helper taking the sums could be left uninlined, and box them.
        if (rows == TR && cols == NR && store) {
            c00.intoArray(c, ci); c01.intoArray(c, ci + L);
            c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + L);
            c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + L);
            c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + L);
            c40.intoArray(c, ci + 4 * ldc); c41.intoArray(c, ci + 4 * ldc + L);
            c50.intoArray(c, ci + 5 * ldc); c51.intoArray(c, ci + 5 * ldc + L);
            c60.intoArray(c, ci + 6 * ldc); c61.intoArray(c, ci + 6 * ldc + L);
            c70.intoArray(c, ci + 7 * ldc); c71.intoArray(c, ci + 7 * ldc + L);
            c80.intoArray(c, ci + 8 * ldc); c81.intoArray(c, ci + 8 * ldc + L);
            c90.intoArray(c, ci + 9 * ldc); c91.intoArray(c, ci + 9 * ldc + L);
            return;
        }
        if (rows == TR && cols == NR) {
            FloatVector.fromArray(S, c, ci).add(c00).intoArray(c, ci);
            FloatVector.fromArray(S, c, ci + L).add(c01).intoArray(c, ci + L);
            FloatVector.fromArray(S, c, ci + ldc).add(c10).intoArray(c, ci + ldc);
            FloatVector.fromArray(S, c, ci + ldc + L).add(c11).intoArray(c, ci + ldc + L);
            FloatVector.fromArray(S, c, ci + 2 * ldc).add(c20).intoArray(c, ci + 2 * ldc);
            FloatVector.fromArray(S, c, ci + 2 * ldc + L).add(c21).intoArray(c, ci + 2 * ldc + L);
            FloatVector.fromArray(S, c, ci + 3 * ldc).add(c30).intoArray(c, ci + 3 * ldc);
            FloatVector.fromArray(S, c, ci + 3 * ldc + L).add(c31).intoArray(c, ci + 3 * ldc + L);
            FloatVector.fromArray(S, c, ci + 4 * ldc).add(c40).intoArray(c, ci + 4 * ldc);
            FloatVector.fromArray(S, c, ci + 4 * ldc + L).add(c41).intoArray(c, ci + 4 * ldc + L);
            FloatVector.fromArray(S, c, ci + 5 * ldc).add(c50).intoArray(c, ci + 5 * ldc);
            FloatVector.fromArray(S, c, ci + 5 * ldc + L).add(c51).intoArray(c, ci + 5 * ldc + L);
            FloatVector.fromArray(S, c, ci + 6 * ldc).add(c60).intoArray(c, ci + 6 * ldc);
            FloatVector.fromArray(S, c, ci + 6 * ldc + L).add(c61).intoArray(c, ci + 6 * ldc + L);
            FloatVector.fromArray(S, c, ci + 7 * ldc).add(c70).intoArray(c, ci + 7 * ldc);
            FloatVector.fromArray(S, c, ci + 7 * ldc + L).add(c71).intoArray(c, ci + 7 * ldc + L);
            FloatVector.fromArray(S, c, ci + 8 * ldc).add(c80).intoArray(c, ci + 8 * ldc);
            FloatVector.fromArray(S, c, ci + 8 * ldc + L).add(c81).intoArray(c, ci + 8 * ldc + L);
            FloatVector.fromArray(S, c, ci + 9 * ldc).add(c90).intoArray(c, ci + 9 * ldc);
            FloatVector.fromArray(S, c, ci + 9 * ldc + L).add(c91).intoArray(c, ci + 9 * ldc + L);
            return;
        }
        c00.intoArray(edge, 0);
        c01.intoArray(edge, 0 + L);
        c10.intoArray(edge, NR);
        c11.intoArray(edge, NR + L);
        c20.intoArray(edge, 2 * NR);
        c21.intoArray(edge, 2 * NR + L);
        c30.intoArray(edge, 3 * NR);
        c31.intoArray(edge, 3 * NR + L);
        c40.intoArray(edge, 4 * NR);
        c41.intoArray(edge, 4 * NR + L);
        c50.intoArray(edge, 5 * NR);
        c51.intoArray(edge, 5 * NR + L);
        c60.intoArray(edge, 6 * NR);
        c61.intoArray(edge, 6 * NR + L);
        c70.intoArray(edge, 7 * NR);
        c71.intoArray(edge, 7 * NR + L);
        c80.intoArray(edge, 8 * NR);
        c81.intoArray(edge, 8 * NR + L);
        c90.intoArray(edge, 9 * NR);
        c91.intoArray(edge, 9 * NR + L);
        PackedSgemm.edgeToC(edge, c, ci, ldc, rows, cols, store);
    }
}
