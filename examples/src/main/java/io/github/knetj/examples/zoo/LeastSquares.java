package io.github.knetj.examples.zoo;

/**
 * The closed-form least-squares fit with an intercept, the reference {@link LinearRegression} is held to: the normal
 * equations (XᵀX) β = Xᵀy of X = [1, x], solved in float64 by Gaussian elimination with partial pivoting.
 */
final class LeastSquares {
    private LeastSquares() {}

    /** β = (b, w₁ … w_f) minimising Σ (b + w·xᵢ − yᵢ)² over rows x (n·f values) and targets y. */
    static double[] fit(float[] x, float[] y, int f) {
        int n = y.length, k = f + 1;
        double[][] a = new double[k][k + 1];
        double[] row = new double[k];
        for (int i = 0; i < n; i++) {
            row[0] = 1;
            for (int j = 0; j < f; j++) row[j + 1] = x[i * f + j];
            for (int r = 0; r < k; r++) {
                for (int c = 0; c < k; c++) a[r][c] += row[r] * row[c];
                a[r][k] += row[r] * y[i];
            }
        }
        for (int col = 0; col < k; col++) {
            int pivot = col;
            for (int r = col + 1; r < k; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
            double[] t = a[col]; a[col] = a[pivot]; a[pivot] = t;
            if (Math.abs(a[col][col]) < 1e-12) throw new IllegalArgumentException("least squares: the features are linearly dependent (column " + col + ")");
            for (int r = 0; r < k; r++) {
                if (r == col) continue;
                double m = a[r][col] / a[col][col];
                for (int c = col; c <= k; c++) a[r][c] -= m * a[col][c];
            }
        }
        double[] beta = new double[k];
        for (int r = 0; r < k; r++) beta[r] = a[r][k] / a[r][r];
        return beta;
    }

    /** √(mean (b + w·xᵢ − yᵢ)²). */
    static double rmse(double[] beta, float[] x, float[] y, int f) {
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            double p = beta[0];
            for (int j = 0; j < f; j++) p += beta[j + 1] * x[i * f + j];
            s += (p - y[i]) * (p - y[i]);
        }
        return Math.sqrt(s / y.length);
    }
}
