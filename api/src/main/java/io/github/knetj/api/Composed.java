package io.github.knetj.api;

import java.util.Arrays;

/**
 * The defaults of {@link Fused}: each optional kernel written with the required primitives only. They are what a
 * backend without a kernel of its own computes, so each follows the op's definition closely enough to pass the
 * conformance vectors in float64 and float32.
 */
final class Composed {
    private Composed() {}

    /** A rank-0 tensor of x's backend and dtype (it broadcasts against anything). */
    static Tensor constant(Tensor x, double c) { return x.backend().memory().scalar(c, x.dtype()); }

    /** The non-primitive unary ops from EXP, LOG, TANH, ERF and the primitive binary ops. */
    static Tensor unary(Backend be, UnaryOp op, Tensor x, double param) {
        Elementwise e = be.elementwise();
        Tensor zero = constant(x, 0);
        return switch (op) {
            case NEG -> e.binary(BinaryOp.SUB, zero, x);
            case ABS -> e.binary(BinaryOp.MAXIMUM, x, e.binary(BinaryOp.SUB, zero, x));
            case SQUARE -> e.binary(BinaryOp.MUL, x, x);
            case RECIPROCAL -> e.binary(BinaryOp.DIV, constant(x, 1), x);
            case SIGN -> e.binary(BinaryOp.SUB, e.binary(BinaryOp.GT, x, zero), e.binary(BinaryOp.GT, zero, x));
            case STEP -> e.binary(BinaryOp.GT, x, zero);
            case RELU -> e.binary(BinaryOp.MAXIMUM, x, zero);
            // σ(x) = 1/(1 + e^−x): e^−x overflows to +∞ for very negative x, and 1/∞ is the right 0.
            case SIGMOID -> e.binary(BinaryOp.DIV, constant(x, 1), e.binary(BinaryOp.ADD, constant(x, 1), e.unary(UnaryOp.EXP, e.binary(BinaryOp.SUB, zero, x), 0)));
            // relu(x) + slope·min(x, 0), with min(x, 0) = x − relu(x) exact.
            case LEAKY_RELU -> { Tensor r = unary(be, UnaryOp.RELU, x, 0); yield e.binary(BinaryOp.ADD, r, e.binary(BinaryOp.MUL, constant(x, param), e.binary(BinaryOp.SUB, x, r))); }
            case ELU -> elu(be, x, param);
            case SELU -> e.binary(BinaryOp.MUL, constant(x, UnaryOp.SELU_SCALE), elu(be, x, UnaryOp.SELU_ALPHA));
            case GELU -> e.binary(BinaryOp.MUL, e.binary(BinaryOp.MUL, constant(x, 0.5), x),
                    e.binary(BinaryOp.ADD, constant(x, 1), e.unary(UnaryOp.ERF, e.binary(BinaryOp.MUL, x, constant(x, Math.sqrt(0.5))), 0)));
            case SOFTPLUS -> softplus(be, x);
            case LOGSIGMOID -> e.binary(BinaryOp.SUB, zero, softplus(be, e.binary(BinaryOp.SUB, zero, x)));
            default -> e.unary(op, x, param);
        };
    }

    /** relu(x) + α·(e^min(x,0) − 1): x where x > 0, α(e^x − 1) elsewhere. */
    private static Tensor elu(Backend be, Tensor x, double alpha) {
        Elementwise e = be.elementwise();
        Tensor r = unary(be, UnaryOp.RELU, x, 0), negative = e.binary(BinaryOp.SUB, x, r);
        Tensor em1 = e.binary(BinaryOp.SUB, e.unary(UnaryOp.EXP, negative, 0), constant(x, 1));
        return e.binary(BinaryOp.ADD, r, e.binary(BinaryOp.MUL, constant(x, alpha), em1));
    }

    /** max(x, 0) + log(1 + e^−|x|): never overflows. */
    private static Tensor softplus(Backend be, Tensor x) {
        Elementwise e = be.elementwise();
        Tensor minusAbs = e.binary(BinaryOp.SUB, constant(x, 0), unary(be, UnaryOp.ABS, x, 0));
        Tensor log1p = e.unary(UnaryOp.LOG, e.binary(BinaryOp.ADD, constant(x, 1), e.unary(UnaryOp.EXP, minusAbs, 0)), 0);
        return e.binary(BinaryOp.ADD, unary(be, UnaryOp.RELU, x, 0), log1p);
    }

    /** The non-primitive comparisons and MINIMUM from GT, EQ and MAXIMUM; NaN compares false, as in Java. */
    static Tensor binary(Backend be, BinaryOp op, Tensor a, Tensor b) {
        Elementwise e = be.elementwise();
        return switch (op) {
            case MINIMUM -> { Tensor zero = constant(a, 0); yield e.binary(BinaryOp.SUB, zero, e.binary(BinaryOp.MAXIMUM, e.binary(BinaryOp.SUB, zero, a), e.binary(BinaryOp.SUB, zero, b))); }
            case LT -> e.binary(BinaryOp.GT, b, a);
            case GE -> e.binary(BinaryOp.MAXIMUM, e.binary(BinaryOp.GT, a, b), e.binary(BinaryOp.EQ, a, b));
            case LE -> e.binary(BinaryOp.MAXIMUM, e.binary(BinaryOp.GT, b, a), e.binary(BinaryOp.EQ, a, b));
            case NE -> e.binary(BinaryOp.SUB, constant(a, 1), e.binary(BinaryOp.EQ, a, b));
            default -> e.binary(op, a, b);
        };
    }

    /** dy·(Φ(x) + x·φ(x)) with Φ(x) = ½(1 + erf(x/√2)) and φ(x) = e^(−x²/2)/√(2π). */
    static Tensor geluBackward(Backend be, Tensor x, Tensor dy) {
        sameShapes("geluBackward", x, dy);
        Elementwise e = be.elementwise();
        Tensor cdf = e.binary(BinaryOp.MUL, constant(x, 0.5), e.binary(BinaryOp.ADD, constant(x, 1),
                e.unary(UnaryOp.ERF, e.binary(BinaryOp.MUL, x, constant(x, Math.sqrt(0.5))), 0)));
        Tensor pdf = e.binary(BinaryOp.MUL, constant(x, 1 / Math.sqrt(2 * Math.PI)),
                e.unary(UnaryOp.EXP, e.binary(BinaryOp.MUL, constant(x, -0.5), e.binary(BinaryOp.MUL, x, x)), 0));
        return e.binary(BinaryOp.MUL, dy, e.binary(BinaryOp.ADD, cdf, e.binary(BinaryOp.MUL, x, pdf)));
    }

    /** dy·step(x), through {@link Fused}: step is not a primitive (a backend of primitives only composes it). */
    static Tensor reluBackward(Backend be, Tensor x, Tensor dy) {
        sameShapes("reluBackward", x, dy);
        return be.fused().binary(BinaryOp.MUL, dy, be.fused().unary(UnaryOp.STEP, x, 0));
    }

    /** y ⊙ (dy − Σ_axis dy ⊙ y). */
    static Tensor softmaxBackward(Backend be, Tensor y, Tensor dy, int axis) {
        sameShapes("softmaxBackward", y, dy);
        Checks.axis("softmaxBackward", y.shape(), axis);
        Elementwise e = be.elementwise();
        Tensor s = be.reductions().sum(e.binary(BinaryOp.MUL, dy, y), new int[]{y.shape().axis(axis)}, true);
        return e.binary(BinaryOp.MUL, y, e.binary(BinaryOp.SUB, dy, s));
    }

    /** An error naming the op when a gradient's operands differ in shape or dtype. */
    static void sameShapes(String op, Tensor x, Tensor dy) {
        if (!x.shape().equals(dy.shape()) || x.dtype() != dy.dtype())
            throw new IllegalArgumentException(op + ": expected the gradient to match the input, got input " + x.shape() + " " + x.dtype()
                    + " and gradient " + dy.shape() + " " + dy.dtype());
    }

    /** m + log Σ e^(x − m) with m the max over axes, clamped to the dtype's finite range (an all −∞ slice gives −∞). */
    static Tensor logsumexp(Backend be, Tensor x, int[] axes, boolean keepdims) {
        Elementwise e = be.elementwise();
        double big = x.dtype() == DType.FLOAT32 ? Float.MAX_VALUE : Double.MAX_VALUE;
        Tensor m = binary(be, BinaryOp.MINIMUM, be.reductions().max(x, axes, true), constant(x, big));
        m = e.binary(BinaryOp.MAXIMUM, m, constant(x, -big));
        Tensor s = be.reductions().sum(e.unary(UnaryOp.EXP, e.binary(BinaryOp.SUB, x, m), 0), axes, true);
        Tensor y = e.binary(BinaryOp.ADD, e.unary(UnaryOp.LOG, s, 0), m);
        return keepdims ? y : be.layout().reshape(y, Checks.reducedShape(x.shape(), Checks.reduceAxes("logsumexp", x.shape(), axes), false));
    }

    /** Read on the host: an argmax is a handful of comparisons per element and its result is a Java array anyway. */
    static int[] argmax(Backend be, Tensor x, int axis) {
        Shape s = x.shape();
        int a = s.axis(axis), len = s.dim(a), inner = 1;
        for (int i = a + 1; i < s.rank(); i++) inner *= s.dim(i);
        int outer = s.sizeInt() / Math.max(1, len * inner);
        double[] v = be.memory().toDoubleArray(x);
        int[] out = new int[outer * inner];
        for (int o = 0; o < outer; o++)
            for (int in = 0; in < inner; in++) {
                int best = 0, base = o * len * inner + in;
                for (int k = 1; k < len; k++) if (v[base + k * inner] > v[base + best * inner]) best = k;
                out[o * inner + in] = best;
            }
        return out;
    }

    /** Padding as concatenation with constant blocks, one axis at a time. */
    static Tensor pad(Backend be, Tensor x, int[] before, int[] after, double value) {
        Checks.pad(x.shape(), before, after);
        Tensor y = x;
        for (int a = 0; a < before.length; a++) {
            if (before[a] == 0 && after[a] == 0) continue;
            Tensor lo = be.memory().full(y.shape().with(a, before[a]), x.dtype(), value);
            Tensor hi = be.memory().full(y.shape().with(a, after[a]), x.dtype(), value);
            y = be.layout().concat(a, lo, y, hi);
        }
        return y;
    }

    /** Every channel as an image of its own, (N·C, 1, H, W), convolved with one window of ones. */
    static Tensor avgPool2d(Backend be, Tensor x, Pool2d spec) {
        Shape out = spec.outputShape(x.shape());
        Shape s = x.shape();
        Tensor sums = be.convolution().conv2d(be.layout().reshape(x, Shape.of(s.dim(0) * s.dim(1), 1, s.dim(2), s.dim(3))), window(be, spec, x.dtype()), conv(spec));
        return be.layout().reshape(be.elementwise().binary(BinaryOp.DIV, sums, counts(be, s, spec, x.dtype())), out);
    }

    static Tensor avgPool2dBackward(Backend be, Tensor dy, Shape xShape, Pool2d spec) {
        Shape d = dy.shape();
        Tensor scaled = be.elementwise().binary(BinaryOp.DIV, be.layout().reshape(dy, Shape.of(d.dim(0) * d.dim(1), 1, d.dim(2), d.dim(3))), counts(be, xShape, spec, dy.dtype()));
        Shape img = Shape.of(xShape.dim(0) * xShape.dim(1), 1, xShape.dim(2), xShape.dim(3));
        return be.layout().reshape(be.convolution().conv2dBackwardInput(scaled, window(be, spec, dy.dtype()), img, conv(spec)), xShape);
    }

    private static Conv2d conv(Pool2d p) { return new Conv2d(p.strideH(), p.strideW(), p.padH(), p.padW(), 1, 1); }

    private static Tensor window(Backend be, Pool2d p, DType dtype) { return be.memory().full(Shape.of(1, 1, p.windowH(), p.windowW()), dtype, 1); }

    /** The divisor of each output cell, (1, 1, Ho, Wo): the window's size, or the cells of it inside the image. */
    private static Tensor counts(Backend be, Shape x, Pool2d spec, DType dtype) {
        Shape out = spec.outputShape(x);
        if (spec.countIncludePad()) return be.memory().full(Shape.of(1, 1, out.dim(2), out.dim(3)), dtype, spec.windowH() * spec.windowW());
        Tensor ones = be.memory().full(Shape.of(1, 1, x.dim(2), x.dim(3)), dtype, 1);
        return be.convolution().conv2d(ones, window(be, spec, dtype), conv(spec));
    }

    /** softmax or log-softmax along axis, from the max-shifted exponentials. */
    static Tensor softmax(Backend be, Tensor x, int axis, boolean log) {
        Elementwise e = be.elementwise();
        int[] ax = {x.shape().axis(axis)};
        Tensor shifted = e.binary(BinaryOp.SUB, x, be.reductions().max(x, ax, true));
        Tensor ex = e.unary(UnaryOp.EXP, shifted, 0), sum = be.reductions().sum(ex, ax, true);
        return log ? e.binary(BinaryOp.SUB, shifted, e.unary(UnaryOp.LOG, sum, 0)) : e.binary(BinaryOp.DIV, ex, sum);
    }

    /** x (N, C) seen as N·C rows of one element: row i·C + labels[i] of it is the pick. */
    static Tensor pickClasses(Backend be, Tensor x, int[] labels) {
        Checks.rank("pickClasses", x, 2, "(N, C)");
        int n = x.shape().dim(0), c = x.shape().dim(1);
        if (labels.length != n) throw new IllegalArgumentException("pickClasses: " + labels.length + " labels for x " + Checks.describe(x));
        Checks.indices("pickClasses", labels, c);
        Tensor rows = be.nn().gatherRows(be.layout().reshape(x, Shape.of(n * c, 1)), flat(labels, c));
        return be.layout().reshape(rows, Shape.of(n));
    }

    static Tensor placeClasses(Backend be, Tensor g, int[] labels, int classes) {
        int n = labels.length;
        if (!g.shape().equals(Shape.of(n))) throw new IllegalArgumentException("placeClasses: g must be (" + n + "), got " + Checks.describe(g));
        Checks.indices("placeClasses", labels, classes);
        Tensor rows = be.nn().scatterAddRows(be.layout().reshape(g, Shape.of(n, 1)), flat(labels, classes), n * classes);
        return be.layout().reshape(rows, Shape.of(n, classes));
    }

    private static int[] flat(int[] labels, int classes) {
        int[] idx = Arrays.copyOf(labels, labels.length);
        for (int i = 0; i < idx.length; i++) idx[i] += i * classes;
        return idx;
    }
}
