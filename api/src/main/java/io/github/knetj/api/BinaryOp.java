package io.github.knetj.api;

/**
 * Element-wise functions of two tensors with NumPy broadcasting. Comparisons give 1 or 0 in the inputs' dtype.
 * <p>
 * Eight are <b>primitives</b> ({@link #primitive()}: ADD, SUB, MUL, DIV, POW, MAXIMUM, GT, EQ) that every backend's
 * {@link Elementwise#binary} must compute; {@link Fused#binary} composes the other five from them.
 */
public enum BinaryOp {
    ADD(true), SUB(true), MUL(true), DIV(true), POW(true), MAXIMUM(true), MINIMUM(false),
    GT(true), GE(false), LT(false), LE(false), EQ(true), NE(false);

    private final boolean primitive;

    BinaryOp(boolean primitive) { this.primitive = primitive; }

    /** Whether every backend must compute this op in {@link Elementwise#binary} (else {@link Fused#binary} composes it). */
    public boolean primitive() { return primitive; }

    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }

    /** The op at one point, in double: the definition every backend matches (see {@link UnaryOp#apply}). */
    public double apply(double a, double b) {
        return switch (this) {
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
