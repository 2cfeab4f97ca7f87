package io.github.knetj.api;

/**
 * Element-wise kernels, two of the required primitives: unary functions and binary functions with broadcasting.
 * Each must compute the op cases marked {@link UnaryOp#primitive()} / {@link BinaryOp#primitive()} and may compute
 * the rest; callers reach every case through {@link Fused#unary} and {@link Fused#binary}, which compose the
 * non-primitive ones when a backend has no kernel for them.
 */
public interface Elementwise {
    /** {@code op} applied to every element; {@code param} is read by LEAKY_RELU (slope) and ELU (alpha). */
    Tensor unary(UnaryOp op, Tensor x, double param);

    default Tensor unary(UnaryOp op, Tensor x) { return unary(op, x, op.defaultParam()); }

    /** {@code a op b} with NumPy broadcasting (shapes aligned at the right, size-1 axes stretched). */
    Tensor binary(BinaryOp op, Tensor a, Tensor b);
}
