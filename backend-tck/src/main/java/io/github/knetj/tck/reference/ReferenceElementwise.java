package io.github.knetj.tck.reference;

import io.github.knetj.api.Backend;
import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.Elementwise;
import io.github.knetj.api.Shape;
import io.github.knetj.api.SpecialFunctions;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.UnaryOp;

/** The reference element-wise kernels: one formula per op, evaluated in double, binary ops with NumPy broadcasting. */
final class ReferenceElementwise implements Elementwise {
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private final Backend backend;

    ReferenceElementwise(Backend backend) { this.backend = backend; }

    @Override public Tensor unary(UnaryOp op, Tensor x, double param) {
        DType d = Host.check(op.label(), backend, x);
        double[] v = Host.values(x);
        for (int i = 0; i < v.length; i++) v[i] = apply(op, v[i], param);
        return Host.result(backend, x.shape(), d, v);
    }

    /** The definition of every unary op: the formulas other backends must match. */
    static double apply(UnaryOp op, double x, double param) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case SQUARE -> x * x;
            case RECIPROCAL -> 1 / x;
            case TANH -> Math.tanh(x);
            case SIGMOID -> sigmoid(x);
            case RELU -> x > 0 ? x : 0;
            case LEAKY_RELU -> x > 0 ? x : param * x;
            case ELU -> x > 0 ? x : param * Math.expm1(x);
            case SELU -> UnaryOp.SELU_SCALE * (x > 0 ? x : UnaryOp.SELU_ALPHA * Math.expm1(x));
            case GELU -> 0.5 * x * (1 + SpecialFunctions.erf(x * SQRT_HALF));
            case SOFTPLUS -> softplus(x);
            case LOGSIGMOID -> -softplus(-x);
            case ERF -> SpecialFunctions.erf(x);
            case SIGN -> Math.signum(x);
            case STEP -> x > 0 ? 1 : 0;
        };
    }

    /** 1/(1+e^-x) written so that the exponent is never positive: no overflow at ±800. */
    static double sigmoid(double x) {
        if (x >= 0) return 1 / (1 + Math.exp(-x));
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /** log(1+e^x) = max(x,0) + log1p(e^-|x|): exact for large |x| and never overflows. */
    static double softplus(double x) { return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))); }

    @Override public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        DType d = Host.check(op.label(), backend, a, b);
        Shape out = Checks.broadcast(op.label(), a.shape(), b.shape());
        int[] ia = Host.gatherIndex(out, Host.broadcastStrides(a.shape(), out), 0);
        int[] ib = Host.gatherIndex(out, Host.broadcastStrides(b.shape(), out), 0);
        double[] va = Host.values(a), vb = Host.values(b);
        double[] y = new double[ia.length];
        for (int i = 0; i < y.length; i++) y[i] = apply(op, va[ia[i]], vb[ib[i]]);
        return Host.result(backend, out, d, y);
    }

    /** The definition of every binary op; comparisons give 1 or 0. */
    static double apply(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
        };
    }

    @Override public Tensor affine(Tensor x, double scale, double shift) {
        DType d = Host.check("affine", backend, x);
        double[] v = Host.values(x);
        for (int i = 0; i < v.length; i++) v[i] = scale * v[i] + shift;
        return Host.result(backend, x.shape(), d, v);
    }
}
