package io.github.knetj.cpu;

import io.github.knetj.cpu.fast.Parallel;

/**
 * Copies an n-dimensional block between two arrays of the same element type, each walked with its own strides:
 * the one loop behind permute, broadcastTo, slice, pad and concat. Axes that are contiguous on both sides are merged
 * first, so that the innermost run is as long as possible and becomes one {@link System#arraycopy} when both sides
 * walk it with stride 1. Large copies are split over the thread team by rows (or, for few rows, along the run).
 */
final class StridedCopy {
    /**
     * Elements below which a copy stays on the calling thread. The char-LSTM's splits and concatenations of its
     * (64, 100, 2048) gate tensors, in pieces of 128 and 512 KB, ran on one thread while the other waited: 5% of a step.
     */
    static final int PARALLEL = 1 << 15;

    private StridedCopy() {}

    /** dst[dstOff + Σ i_a·dstStrides[a]] = src[srcOff + Σ i_a·srcStrides[a]] for every index i of {@code dims}. */
    static void copy(Object src, int srcOff, int[] srcStrides, Object dst, int dstOff, int[] dstStrides, int[] dims) {
        int r = 0;
        int[] d = new int[dims.length], ss = new int[dims.length], ds = new int[dims.length];
        for (int a = 0; a < dims.length; a++) {
            if (dims[a] == 0) return;
            if (dims[a] == 1) continue;
            // Merge with the previous kept axis when stepping it equals stepping this one dims[a] times, on both sides.
            if (r > 0 && ss[r - 1] == srcStrides[a] * dims[a] && ds[r - 1] == dstStrides[a] * dims[a]) {
                d[r - 1] *= dims[a];
                ss[r - 1] = srcStrides[a];
                ds[r - 1] = dstStrides[a];
                continue;
            }
            d[r] = dims[a];
            ss[r] = srcStrides[a];
            ds[r] = dstStrides[a];
            r++;
        }
        if (r == 0) {
            System.arraycopy(src, srcOff, dst, dstOff, 1);
            return;
        }
        int run = d[r - 1], sStep = ss[r - 1], dStep = ds[r - 1];
        int rows = 1;
        for (int a = 0; a < r - 1; a++) rows *= d[a];
        if ((long) rows * run < PARALLEL || Parallel.threads() == 1) {
            copyRows(src, srcOff, dst, dstOff, d, ss, ds, r, 0, rows);
        } else if (rows >= Parallel.threads()) {
            int rank = r;
            Parallel.forRange(rows, Math.max(1, PARALLEL / run), (r0, r1) -> copyRows(src, srcOff, dst, dstOff, d, ss, ds, rank, r0, r1));
        } else {
            // Few long rows (one, for a contiguous copy): each row's run is split instead.
            for (int row = 0; row < rows; row++) {
                int[] idx = index(d, r, row);
                int s0 = offset(srcOff, idx, ss), t0 = offset(dstOff, idx, ds);
                Parallel.forRange(run, PARALLEL, (i0, i1) -> copyRun(src, s0 + i0 * sStep, sStep, dst, t0 + i0 * dStep, dStep, i1 - i0));
            }
        }
    }

    /** Rows [r0, r1) of the merged block: the innermost axis is each row's run. */
    private static void copyRows(Object src, int srcOff, Object dst, int dstOff, int[] d, int[] ss, int[] ds, int r, int r0, int r1) {
        int run = d[r - 1], sStep = ss[r - 1], dStep = ds[r - 1];
        int[] idx = index(d, r, r0);
        int s = offset(srcOff, idx, ss), t = offset(dstOff, idx, ds);
        for (int row = r0; row < r1; row++) {
            copyRun(src, s, sStep, dst, t, dStep, run);
            // Advance the outer axes like an odometer, keeping both offsets in step.
            for (int a = r - 2; a >= 0; a--) {
                idx[a]++;
                s += ss[a];
                t += ds[a];
                if (idx[a] < d[a]) break;
                s -= ss[a] * d[a];
                t -= ds[a] * d[a];
                idx[a] = 0;
            }
        }
    }

    /** The outer axes' indices of row {@code row} of the merged block (the innermost axis, the run, left at 0). */
    private static int[] index(int[] d, int r, int row) {
        int[] idx = new int[r];
        for (int a = r - 2, rest = row; a >= 0; a--) {
            idx[a] = rest % d[a];
            rest /= d[a];
        }
        return idx;
    }

    private static int offset(int off, int[] idx, int[] strides) {
        for (int a = 0; a < idx.length - 1; a++) off += idx[a] * strides[a];
        return off;
    }

    private static void copyRun(Object src, int s, int sStep, Object dst, int t, int dStep, int n) {
        if (sStep == 1 && dStep == 1) {
            System.arraycopy(src, s, dst, t, n);
        } else if (src instanceof float[] f) {
            float[] g = (float[]) dst;
            for (int i = 0; i < n; i++) g[t + i * dStep] = f[s + i * sStep];
        } else {
            double[] f = (double[]) src, g = (double[]) dst;
            for (int i = 0; i < n; i++) g[t + i * dStep] = f[s + i * sStep];
        }
    }
}
