package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Ops;

/** Input checks shared by the layers, so that every error names the layer, the shapes and the dtypes. */
final class Check {
    private Check() {}

    /** Fails unless x has the given rank. */
    static void rank(Object layer, Value x, int rank, String expected) {
        if (x.shape().rank() != rank) throw new IllegalArgumentException(layer + ": expected input " + expected + ", got shape " + x.shape());
    }

    /** Fails unless axis of x has the given length. */
    static void dim(Object layer, Value x, int axis, int length, String expected) {
        if (x.shape().dim(axis) != length) throw new IllegalArgumentException(layer + ": expected input " + expected + ", got shape " + x.shape());
    }

    /** Fails unless x lives where the parameter p does: same backend and dtype (mixing them is a silent slowdown or a crash later). */
    static void sameKind(Object layer, Value x, Value p) {
        if (x.backend() != p.backend() || x.dtype() != p.dtype())
            throw new IllegalArgumentException(layer + ": input is " + x.dtype() + " on backend '" + x.backend().name()
                    + "' but the parameters are " + p.dtype() + " on backend '" + p.backend().name()
                    + "'; build the model after setting Defaults.backend/dtype, or move the input with Tensor.to");
    }

    /** y = mat(x) wᵀ + b, the affine map shared by {@link Linear} and {@link Dense}: w (out, in), b (out) or null. */
    static Value affine(Object layer, Value w, Value b, Value x) {
        int in = w.shape().dim(1);
        Value m = x.shape().rank() < 2 ? null : Ops.mat(x);
        if (m == null || m.shape().dim(1) != in)
            throw new IllegalArgumentException(layer + ": expected input (N, " + in + "), or (N, ...) with " + in + " elements per row, got shape " + x.shape());
        sameKind(layer, x, w);
        return Ops.linear(m, w, b);
    }

    /** dims, when every one is at least 1; otherwise an error naming the layer being built (not "negative dimension in shape"). */
    static int[] sizes(String layer, int... dims) {
        for (int d : dims)
            if (d < 1) throw new IllegalArgumentException(layer + ": every size must be >= 1, got " + java.util.Arrays.toString(dims));
        return dims;
    }

    /** A number without a needless ".0": 2, 0.5, 1.0E-5. */
    static String num(double v) { return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v); }

    /** "2" when both axes agree, else "(2, 3)". */
    static String pair(int h, int w) { return h == w ? Integer.toString(h) : "(" + h + ", " + w + ")"; }
}
