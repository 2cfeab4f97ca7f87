package io.github.knetj.cpu.fast;

import io.github.knetj.cpu.fast.PackedSgemm.ImageRows;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import static io.github.knetj.cpu.fast.PackedSgemm.L;
import static io.github.knetj.cpu.fast.PackedSgemm.MR;
import static io.github.knetj.cpu.fast.PackedSgemm.NR;

/**
 * {@link PackedSgemm}'s micro-kernel with A read where it lies instead of from a packed panel: a matrix by its strides
 * ({@link #strided}) and a convolution's column matrix from the image itself ({@link #rows}). Packing A is a scalar
 * copy, worth it only when each panel meets many of B's.
 */
final class InPlaceKernels {
    private static final VectorSpecies<Float> S = PackedSgemm.S;

    private InPlaceKernels() {}

    /**
     * {@link PackedSgemm#kernel} on MR full rows of A read in place: row r, step p at ai + r·ars + p·aps (a
     * {@link PackedSgemm.StridedA}'s strides). A twin rather than a parameter of that kernel: with A's strides as
     * variables there, packed products ran 5–10% slower.
     */
    static void strided(int kc, float[] ap, int ai, int ars, int aps, float[] bp, int bi, float[] c, int ci, int ldc, int cols,
                        float[] edge, boolean store) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00, c41 = c00;
        int a1 = ars, a2 = 2 * ars, a3 = 3 * ars, a4 = 4 * ars;
        for (int p = 0; p < kc; p++, ai += aps, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + a1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + a2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + a3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ai + a4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
        }
        // The same epilogue as PackedSgemm.kernel's (see there why it is written out), for MR rows.
        if (cols == NR && store) {
            c00.intoArray(c, ci); c01.intoArray(c, ci + L);
            c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + L);
            c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + L);
            c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + L);
            c40.intoArray(c, ci + 4 * ldc); c41.intoArray(c, ci + 4 * ldc + L);
            return;
        }
        if (cols == NR) {
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
        PackedSgemm.edgeToC(edge, c, ci, ldc, MR, cols, store);
    }

    /**
     * {@link PackedSgemm#kernel} with A read in place: rows r..r+rows−1 of an {@link ImageRows}, steps [pc, pc+kc) one
     * segment at a time. Rows past the edge read row r again; their sums are dropped.
     */
    static void rows(int kc, ImageRows a, int r, int rows, int pc, float[] bp, int bi, float[] c, int ci, int ldc, int cols,
                                   float[] edge, boolean store) {
        float[] x = a.x();
        int[] base = a.rowBase(), colBase = a.colBase();
        int xo = a.xo(), s0 = xo + base[r], s1 = xo + base[r + Math.min(1, rows - 1)], s2 = xo + base[r + Math.min(2, rows - 1)],
                s3 = xo + base[r + Math.min(3, rows - 1)], s4 = xo + base[r + Math.min(4, rows - 1)], seg = a.seg();
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00, c41 = c00;
        for (int q0 = pc; q0 < pc + kc; q0 += seg) {
            int cb = colBase[q0];
            for (int t = 0; t < seg; t++, bi += NR) {
                FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + L);
                FloatVector v = FloatVector.broadcast(S, x[s0 + cb + t]);
                c00 = v.fma(b0, c00);
                c01 = v.fma(b1, c01);
                v = FloatVector.broadcast(S, x[s1 + cb + t]);
                c10 = v.fma(b0, c10);
                c11 = v.fma(b1, c11);
                v = FloatVector.broadcast(S, x[s2 + cb + t]);
                c20 = v.fma(b0, c20);
                c21 = v.fma(b1, c21);
                v = FloatVector.broadcast(S, x[s3 + cb + t]);
                c30 = v.fma(b0, c30);
                c31 = v.fma(b1, c31);
                v = FloatVector.broadcast(S, x[s4 + cb + t]);
                c40 = v.fma(b0, c40);
                c41 = v.fma(b1, c41);
            }
        }
        // The same epilogue as PackedSgemm.kernel's (see there why it is written out).
        if (rows == MR && cols == NR && !store) {
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
        PackedSgemm.edgeToC(edge, c, ci, ldc, rows, cols, store);
    }
}
