package io.github.knetj.api;

/** Element-wise functions of two tensors with NumPy broadcasting. Comparisons give 1 or 0 in the inputs' dtype. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, GT, GE, LT, LE, EQ, NE;

    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
}
