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

    /**
     * One Adam update, as torch.optim.Adam: returns {@code {w', m', v'}} with m' = β1·m + (1 − β1)·g,
     * v' = β2·v + (1 − β2)·g² and w' = w − stepSize·m' / (denomScale·√v' + eps), where stepSize is lr / (1 − β1^t) and
     * denomScale 1 / √(1 − β2^t). The default composes the kernels above (scalings by 1 skipped); a backend may
     * override it with one pass and no temporaries, since the optimizer step otherwise makes about a dozen.
     */
    default Tensor[] adamStep(Tensor w, Tensor g, Tensor m, Tensor v, double beta1, double beta2, double stepSize, double denomScale, double eps) {
        Tensor m1 = axpby(beta1, m, 1 - beta1, g);
        Tensor v1 = axpby(beta2, v, 1 - beta2, unary(UnaryOp.SQUARE, g));
        Tensor denom = affine(unary(UnaryOp.SQRT, v1), denomScale, eps);
        return new Tensor[] {axpby(1, w, -stepSize, binary(BinaryOp.DIV, m1, denom)), m1, v1};
    }

    /**
     * One gradient-descent update, {@code w − lr·d}, where d is the gradient or SGD's momentum direction. The default
     * composes affine and binary; a backend may override it with one pass and no temporary.
     */
    default Tensor sgdStep(Tensor w, Tensor d, double lr) { return axpby(1, w, -lr, d); }

    /** a·x + b·y, skipping the scaling where a coefficient is 1 (so the default keeps the optimizer's rounding). */
    private Tensor axpby(double a, Tensor x, double b, Tensor y) {
        return binary(BinaryOp.ADD, a == 1 ? x : affine(x, a, 0), b == 1 ? y : affine(y, b, 0));
    }
}
