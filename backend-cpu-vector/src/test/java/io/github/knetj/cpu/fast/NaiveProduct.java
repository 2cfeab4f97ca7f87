package io.github.knetj.cpu.fast;

import java.util.SplittableRandom;

/**
 * The packed products' reference: C = op(A)·op(B) summed in double, element (i, j) at i·n + j, with a tolerance for a
 * float32 result of 1e-5 times (the sum of |terms| + 1).
 */
record NaiveProduct(double[] sum, double[] tolerance) {
    static NaiveProduct of(float[] a, float[] b, int m, int n, int k, boolean ta, boolean tb) {
        int lda = ta ? m : k, ldb = tb ? k : n;
        double[] sum = new double[m * n], tolerance = new double[m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
            double s = 0, mag = 0;
            for (int p = 0; p < k; p++) {
                double x = a[ta ? p * lda + i : i * lda + p], y = b[tb ? j * ldb + p : p * ldb + j];
                s += x * y;
                mag += Math.abs(x * y);
            }
            sum[i * n + j] = s;
            tolerance[i * n + j] = 1e-5 * (mag + 1);
        }
        return new NaiveProduct(sum, tolerance);
    }

    /** size floats uniform in [−1, 1). */
    static float[] random(SplittableRandom r, int size) {
        float[] v = new float[size];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble(-1, 1);
        return v;
    }
}
