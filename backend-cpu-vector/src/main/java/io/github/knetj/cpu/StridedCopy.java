package io.github.knetj.cpu;

/**
 * Copies an n-dimensional block between two arrays of the same element type, each walked with its own strides:
 * the one loop behind permute, broadcastTo, slice, pad and concat. Axes that are contiguous on both sides are merged
 * first, so that the innermost run is as long as possible and becomes one {@link System#arraycopy} when both sides
 * walk it with stride 1.
 */
final class StridedCopy {
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
        int[] idx = new int[r];
        int s = srcOff, t = dstOff;
        for (int row = 0; row < rows; row++) {
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
