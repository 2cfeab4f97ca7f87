package io.github.knetj.tck;

import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;

import java.util.Arrays;

/**
 * How close a backend's result must be to the expected one: |actual − expected| ≤ abs + rel·max|expected|, the scale
 * being the largest magnitude of the whole expected tensor. float64: 1e-9 relative (plus 1e-12 absolute, so that an expected all-zero tensor does not demand exact zeros); float32: forward 1e-5 absolute
 * plus 1e-4 relative, gradients 1e-4 absolute plus 1e-3 relative (the conformance README's numbers).
 *
 * @param abs absolute slack
 * @param rel slack relative to the largest magnitude of the expected tensor
 */
public record Tolerance(double abs, double rel) {
    /** The tolerance for results of this dtype; {@code gradient} for backward kernels, which sum more terms. */
    public static Tolerance of(DType dtype, boolean gradient) {
        if (dtype == DType.FLOAT64) return new Tolerance(1e-12, 1e-9);
        return gradient ? new Tolerance(1e-4, 1e-3) : new Tolerance(1e-5, 1e-4);
    }

    /** Asserts actual matches expected (same shape, every element within tolerance); the message names what, shapes and dtype. */
    public static void assertClose(String what, Tensor expected, Tensor actual, boolean gradient) {
        of(actual.dtype(), gradient).check(what, expected.shape(), expected.toDoubleArray(), actual);
    }

    /** Asserts the tensor matches row-major expected values (PyTorch's, say) within the dtype's tolerance. */
    public static void assertClose(String what, double[] expected, Tensor actual, DType dtype, boolean gradient) {
        of(dtype, gradient).check(what, actual.shape(), expected, actual);
    }

    /** Asserts actual has {@code shape} and values within this tolerance of expected, naming the worst element if not. */
    public void check(String what, Shape shape, double[] expected, Tensor actual) {
        if (!actual.shape().equals(shape))
            throw new AssertionError(what + ": expected shape " + shape + ", got " + actual.shape() + " " + actual.dtype());
        double[] got = actual.toDoubleArray();
        if (got.length != expected.length)
            throw new AssertionError(what + ": expected " + expected.length + " elements, got " + got.length + " in " + actual.shape());
        double scale = 0;
        for (double e : expected) if (Double.isFinite(e)) scale = Math.max(scale, Math.abs(e));
        double limit = abs + rel * scale;
        int worst = -1;
        double worstErr = -1;
        for (int i = 0; i < got.length; i++) {
            double err = error(expected[i], got[i]);
            if (err > worstErr) { worstErr = err; worst = i; }
        }
        if (worst >= 0 && worstErr > limit)
            throw new AssertionError(String.format(java.util.Locale.ROOT,
                    "%s: %s %s differs at index %s (flat %d): expected %.17g, actual %.17g, |error| %.3g > tolerance %.3g (%.1g abs + %.1g rel × max|expected| %.3g)",
                    what, actual.shape(), actual.dtype(), Arrays.toString(unravel(shape, worst)), worst,
                    expected[worst], got[worst], worstErr, limit, abs, rel, scale));
    }

    /** |a − e|, with NaN matching only NaN and infinities matching only the same infinity. */
    private static double error(double e, double a) {
        if (Double.isNaN(e) || Double.isNaN(a)) return Double.isNaN(e) && Double.isNaN(a) ? 0 : Double.POSITIVE_INFINITY;
        if (Double.isInfinite(e) || Double.isInfinite(a)) return e == a ? 0 : Double.POSITIVE_INFINITY;
        return Math.abs(a - e);
    }

    /** The multi-index of flat index i in a row-major shape. */
    static int[] unravel(Shape shape, int i) {
        int[] idx = new int[shape.rank()];
        for (int a = shape.rank() - 1; a >= 0; a--) {
            int d = Math.max(1, shape.dim(a));
            idx[a] = i % d;
            i /= d;
        }
        return idx;
    }
}
