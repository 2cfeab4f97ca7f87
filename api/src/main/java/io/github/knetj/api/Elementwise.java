package io.github.knetj.api;

/** Element-wise kernels: unary functions, binary functions with broadcasting, and a fused scale-and-shift. */
public interface Elementwise {
    /** {@code op} applied to every element; {@code param} is read by LEAKY_RELU (slope) and ELU (alpha). */
    Tensor unary(UnaryOp op, Tensor x, double param);

    default Tensor unary(UnaryOp op, Tensor x) { return unary(op, x, op.defaultParam()); }

    /** {@code a op b} with NumPy broadcasting (shapes aligned at the right, size-1 axes stretched). */
    Tensor binary(BinaryOp op, Tensor a, Tensor b);

    /** {@code scale·x + shift}, one pass. */
    Tensor affine(Tensor x, double scale, double shift);
}
