package io.github.knetj.cpu.fast;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    /**
     * Runs C += op(A)·op(B) (into a C holding values) and C = op(A)·op(B) + bias through {@link PackedSgemm} on two
     * threads and on one, on random operands from {@code seed}, and checks both against this reference and the two
     * thread counts against each other bit for bit. Returns whether the packed product took C = op(A)·op(B) + bias
     * (it leaves A·Bᵀ with 8-lane vectors to {@link DotSgemm}); only C += op(A)·op(B) is checked where it did not.
     * Leaves the team at one thread.
     */
    static boolean checkTwoThreadsAgainstOne(int m, int n, int k, boolean ta, boolean tb, long seed, String what) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = random(r, m * k), b = random(r, k * n), c0 = random(r, m * n), bias = random(r, n);
        int lda = ta ? m : k, ldb = tb ? k : n;
        Parallel.setThreads(2);
        float[] added = c0.clone(), stored = new float[m * n];
        PackedSgemm.gemm(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, added, 0, n, true);
        boolean packs = PackedSgemm.gemmInto(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, stored, 0, n, bias, true);
        Parallel.setThreads(1);
        float[] serialAdded = c0.clone(), serialStored = new float[m * n];
        PackedSgemm.gemm(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, serialAdded, 0, n, true);
        PackedSgemm.gemmInto(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, serialStored, 0, n, bias, true);
        String label = "(" + m + "," + n + "," + k + ") ta=" + ta + " tb=" + tb + " " + what;
        NaiveProduct want = of(a, b, m, n, k, ta, tb);
        for (int at = 0; at < m * n; at++) {
            String where = ", element (" + at / n + "," + at % n + ")";
            assertEquals(c0[at] + want.sum()[at], added[at], want.tolerance()[at], label + ", C += A·B" + where);
            assertEquals(Float.floatToRawIntBits(serialAdded[at]), Float.floatToRawIntBits(added[at]), label + ": one thread and two differ at " + at);
            if (!packs) continue;
            assertEquals(want.sum()[at] + bias[at % n], stored[at], want.tolerance()[at], label + ", C = A·B + bias" + where);
            assertEquals(Float.floatToRawIntBits(serialStored[at]), Float.floatToRawIntBits(stored[at]), label + ": one thread and two differ at " + at);
        }
        return packs;
    }

    /** size floats uniform in [−1, 1). */
    static float[] random(SplittableRandom r, int size) {
        float[] v = new float[size];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble(-1, 1);
        return v;
    }
}
