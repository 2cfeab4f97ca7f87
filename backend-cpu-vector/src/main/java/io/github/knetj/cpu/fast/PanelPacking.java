package io.github.knetj.cpu.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import static io.github.knetj.cpu.fast.PackedSgemm.L;
import static io.github.knetj.cpu.fast.PackedSgemm.MR;
import static io.github.knetj.cpu.fast.PackedSgemm.NR;
import static io.github.knetj.cpu.fast.PackedSgemm.ROWS;
import static io.github.knetj.cpu.fast.PackedSgemm.S;
import static io.github.knetj.cpu.fast.TallKernel.TR;

/**
 * How {@link PackedSgemm} copies its operands into panels: op(A) into panels of MR = 5 rows ({@link #packA}) or
 * {@link TallKernel#TR} = 10 rows ({@link #packTall}), each step's rows side by side, and op(B) into panels of NR
 * columns, each step's columns side by side ({@link #packB}). The micro-kernels then read both panels front to back.
 */
final class PanelPacking {
    /** The first MR lanes of a {@link PackedSgemm#ROWS} vector: one step of a 5-row panel. */
    private static final VectorMask<Float> PANEL_ROWS = ROWS.indexInRange(0, MR);
    /** The first TR lanes of a vector: one step of a tall panel (only on the 512-bit vectors tall panels need). */
    private static final VectorMask<Float> TALL_STEP = TallKernel.ENABLED ? S.indexInRange(0, TR) : null;

    private PanelPacking() {}

    /** Rows [ic, ic+mc) and steps [pc, pc+kc) of op(A) into panels of MR rows: panel r holds A(ic+r·MR+ii, pc+p) at off + r·MR·kc + p·MR + ii. */
    static void packA(boolean ta, float[] a, int ao, int lda, int ic, int mc, int pc, int kc, float[] dst, int off) {
        packA(ta, a, ao, lda, ic, mc, pc, kc, kc, dst, off);
    }

    /**
     * The same for {@code steps} of a block of {@code kc}: panel r holds A(ic+r·MR+ii, pc+p) at off + r·MR·kc + p·MR + ii
     * for p below steps, so that runs of a block's steps can be packed apart ({@link SharedPanels}).
     */
    static void packA(boolean ta, float[] a, int ao, int lda, int ic, int mc, int pc, int steps, int kc, float[] dst, int off) {
        if (ta) {
            // Step by step: each step's mc values are one contiguous run of a row of A. Row by row of op(A) read one
            // float per cache line, five times over; this took 9% of a char-LSTM step (its weight gradients Xᵀ·G).
            // The MR floats of a full panel move as one masked vector (five scalar copies took 11% of a char-LSTM step).
            int full = mc / MR * MR;
            for (int p = 0; p < steps; p++) {
                int src = ao + (pc + p) * lda + ic, d = off + p * MR;
                for (int r0 = 0; r0 < full; r0 += MR)
                    FloatVector.fromArray(ROWS, a, src + r0, PANEL_ROWS).intoArray(dst, d + r0 * kc, PANEL_ROWS);
                if (full < mc) {
                    int rows = mc - full, at = d + full * kc;
                    for (int ii = 0; ii < rows; ii++) dst[at + ii] = a[src + full + ii];
                    for (int ii = rows; ii < MR; ii++) dst[at + ii] = 0;
                }
            }
            return;
        }
        for (int r0 = 0; r0 < mc; r0 += MR) {
            int rows = Math.min(MR, mc - r0), base = off + r0 * kc;
            if (rows == MR) {
                // Step by step across the five rows, so the stores run contiguously: 1.7× faster than five strided
                // passes, one per row (13 M floats of the char-LSTM's G·W: 10.5 → 6.3 ms on one thread).
                int s0 = ao + (ic + r0) * lda + pc, s1 = s0 + lda, s2 = s1 + lda, s3 = s2 + lda, s4 = s3 + lda;
                for (int p = 0, d = base; p < steps; p++, d += MR) {
                    dst[d] = a[s0 + p];
                    dst[d + 1] = a[s1 + p];
                    dst[d + 2] = a[s2 + p];
                    dst[d + 3] = a[s3 + p];
                    dst[d + 4] = a[s4 + p];
                }
                continue;
            }
            for (int ii = 0; ii < MR; ii++) {
                if (ii >= rows) {
                    for (int p = 0; p < steps; p++) dst[base + p * MR + ii] = 0;
                } else {
                    int src = ao + (ic + r0 + ii) * lda + pc;
                    for (int p = 0; p < steps; p++) dst[base + p * MR + ii] = a[src + p];
                }
            }
        }
    }

    /** Columns [j, j+cols) and steps [pc, pc+kc) of op(B) into one panel: B(pc+p, j+jj) at off + p·NR + jj, zero-padded to NR. */
    static void packB(boolean tb, float[] b, int bo, int ldb, int pc, int kc, int j, int cols, float[] dst, int off) {
        if (tb) {
            for (int jj = 0; jj < NR; jj++) {
                if (jj >= cols) {
                    for (int p = 0; p < kc; p++) dst[off + p * NR + jj] = 0;
                } else {
                    int src = bo + (j + jj) * ldb + pc;
                    for (int p = 0; p < kc; p++) dst[off + p * NR + jj] = b[src + p];
                }
            }
        } else if (cols == NR) {
            // Two vector moves per row: the rows are only NR floats, where System.arraycopy's call costs more than the copy.
            for (int p = 0; p < kc; p++) {
                int src = bo + (pc + p) * ldb + j, d = off + p * NR;
                FloatVector.fromArray(S, b, src).intoArray(dst, d);
                FloatVector.fromArray(S, b, src + L).intoArray(dst, d + L);
            }
        } else {
            for (int p = 0; p < kc; p++) {
                int src = bo + (pc + p) * ldb + j, d = off + p * NR;
                for (int jj = 0; jj < cols; jj++) dst[d + jj] = b[src + jj];
                for (int jj = cols; jj < NR; jj++) dst[d + jj] = 0;
            }
        }
    }

    /**
     * Rows [ic, ic+mc) and steps [pc, pc+steps) of op(A) into panels of TR rows for a block of kc steps: panel r holds
     * A(ic+r·TR+ii, pc+p) at off + r·TR·kc + p·TR + ii, rows past mc as zeros (as {@link #packA} for 5).
     */
    static void packTall(boolean ta, float[] a, int ao, int lda, int ic, int mc, int pc, int steps, int kc, float[] dst, int off) {
        int full = mc / TR * TR;
        if (ta) {
            // Step by step: each step's rows are one contiguous run of a row of A, TR floats one masked vector move.
            for (int p = 0; p < steps; p++) {
                int src = ao + (pc + p) * lda + ic, d = off + p * TR;
                for (int r0 = 0; r0 < full; r0 += TR) FloatVector.fromArray(S, a, src + r0, TALL_STEP).intoArray(dst, d + r0 * kc, TALL_STEP);
                if (full < mc) for (int ii = 0, at = d + full * kc; ii < TR; ii++) dst[at + ii] = ii < mc - full ? a[src + full + ii] : 0;
            }
            return;
        }
        for (int r0 = 0; r0 < mc; r0 += TR) {
            int rows = Math.min(TR, mc - r0), base = off + r0 * kc, s = ao + (ic + r0) * lda + pc;
            // Step by step across the rows, so that the stores run contiguously (as packA).
            for (int p = 0, d = base; p < steps; p++, d += TR) {
                for (int ii = 0; ii < rows; ii++) dst[d + ii] = a[s + ii * lda + p];
                for (int ii = rows; ii < TR; ii++) dst[d + ii] = 0;
            }
        }
    }
}
