package io.github.knetj.cpu;

import io.github.knetj.cpu.fast.Parallel;

/**
 * The plain-loop matrix product: the SIMD-off kernel, and the small-matrix path of the packed kernels (where packing
 * would cost more than it saves). Rows of C are independent, so they are split over the pool when there are enough.
 * Each row is accumulated in double, like the reference backend.
 */
public final class ScalarGemm implements Gemm {
    public static final ScalarGemm INSTANCE = new ScalarGemm();
    /** Multiply-adds per parallel chunk below which splitting rows does not pay. */
    private static final long GRAIN_FLOPS = 1 << 16;

    private ScalarGemm() {}

    private static int rowGrain(int n, int k) { return (int) Math.max(1, GRAIN_FLOPS / Math.max(1L, (long) n * k)); }

    @Override public void gemm(boolean ta, boolean tb, int m, int n, int k, float[] a, int ao, int lda, float[] b, int bo, int ldb,
                               float[] c, int co, int ldc, boolean parallel) {
        Parallel.Range rows = (i0, i1) -> {
            double[] acc = new double[n];
            for (int i = i0; i < i1; i++) {
                java.util.Arrays.fill(acc, 0);
                if (tb) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int p = 0; p < k; p++) s += (double) a[ta ? ao + p * lda + i : ao + i * lda + p] * b[bo + j * ldb + p];
                        acc[j] = s;
                    }
                } else {
                    for (int p = 0; p < k; p++) {
                        double av = a[ta ? ao + p * lda + i : ao + i * lda + p];
                        int bi = bo + p * ldb;
                        for (int j = 0; j < n; j++) acc[j] += av * b[bi + j];
                    }
                }
                int ci = co + i * ldc;
                for (int j = 0; j < n; j++) c[ci + j] += (float) acc[j];
            }
        };
        if (parallel) Parallel.forRange(m, rowGrain(n, k), rows);
        else rows.run(0, m);
    }

    @Override public void gemm(boolean ta, boolean tb, int m, int n, int k, double[] a, int ao, int lda, double[] b, int bo, int ldb,
                               double[] c, int co, int ldc, boolean parallel) {
        Parallel.Range rows = (i0, i1) -> {
            double[] acc = new double[n];
            for (int i = i0; i < i1; i++) {
                java.util.Arrays.fill(acc, 0);
                if (tb) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int p = 0; p < k; p++) s += a[ta ? ao + p * lda + i : ao + i * lda + p] * b[bo + j * ldb + p];
                        acc[j] = s;
                    }
                } else {
                    for (int p = 0; p < k; p++) {
                        double av = a[ta ? ao + p * lda + i : ao + i * lda + p];
                        int bi = bo + p * ldb;
                        for (int j = 0; j < n; j++) acc[j] += av * b[bi + j];
                    }
                }
                int ci = co + i * ldc;
                for (int j = 0; j < n; j++) c[ci + j] += acc[j];
            }
        };
        if (parallel) Parallel.forRange(m, rowGrain(n, k), rows);
        else rows.run(0, m);
    }
}
