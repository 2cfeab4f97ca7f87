package io.github.knetj.cpu;

import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.SpecialFunctions;
import io.github.knetj.api.UnaryOp;

/**
 * The scalar definition of every element-wise op, in double: the same formulas as the reference backend, used by the
 * SIMD-off loops, by the SIMD loops' tails, and for the ops the Vector API has no lanewise form of (erf, gelu).
 */
final class ScalarMath {
    private static final double SQRT_HALF = Math.sqrt(0.5);

    private ScalarMath() {}

    static double unary(UnaryOp op, double x, double param) {
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

    /** 1/(1+e^-x) with a never-positive exponent, so that ±800 neither overflows nor gives NaN. */
    static double sigmoid(double x) {
        if (x >= 0) return 1 / (1 + Math.exp(-x));
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /** log(1+e^x) = max(x,0) + log1p(e^-|x|): exact for large |x| and never overflows. */
    static double softplus(double x) { return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))); }

    static double binary(BinaryOp op, double a, double b) {
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
}
