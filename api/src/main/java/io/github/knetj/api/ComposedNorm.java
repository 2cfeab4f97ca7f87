package io.github.knetj.api;

/**
 * The defaults of {@link Fused#batchNorm}, {@link Fused#layerNorm} and their backward passes: batch normalisation in
 * training mode and layer normalisation written with the required primitives, each step as the autograd compositions
 * {@code NNOps.batchnorm} and {@code NNOps.layernorm} take it, so a backend without its own kernel computes the same
 * numbers as those compositions.
 */
final class ComposedNorm {
    private ComposedNorm() {}

    /** The axes reduced over: every axis but the channels (axis 1) of (N, C) or (N, C, H, W). */
    static int[] axes(Shape x) {
        return switch (x.rank()) {
            case 2 -> new int[]{0};
            case 4 -> new int[]{0, 2, 3};
            default -> throw new IllegalArgumentException("batchNorm: expected (N, C) or (N, C, H, W), got " + x);
        };
    }

    /** A (C) vector shaped to broadcast along x's channel axis: (1, C) or (1, C, 1, 1). */
    private static Tensor perChannel(Backend be, Tensor v, Shape x) {
        int c = x.dim(1);
        return be.layout().reshape(v, x.rank() == 2 ? Shape.of(1, c) : Shape.of(1, c, 1, 1));
    }

    private static Tensor vector(Backend be, Tensor t) { return be.layout().reshape(t, Shape.of(t.shape().sizeInt())); }

    /** {y, μ (C), σ² (C)}: μ the mean, σ² the biased variance, y = (x − μ)/√(σ² + ε)·γ + β. */
    static Tensor[] forward(Backend be, Tensor x, Tensor gamma, Tensor beta, double eps) {
        Elementwise e = be.elementwise();
        int[] axes = axes(x.shape());
        Tensor mu = be.fused().mean(x, axes, true);
        Tensor xc = e.binary(BinaryOp.SUB, x, mu);
        Tensor var = be.fused().mean(e.binary(BinaryOp.MUL, xc, xc), axes, true);
        Tensor std = be.fused().unary(UnaryOp.SQRT, be.fused().affine(var, 1, eps));
        Tensor y = e.binary(BinaryOp.MUL, e.binary(BinaryOp.DIV, xc, std), perChannel(be, gamma, x.shape()));
        return new Tensor[]{e.binary(BinaryOp.ADD, y, perChannel(be, beta, x.shape())), vector(be, mu), vector(be, var)};
    }

    /**
     * {dx, dγ, dβ} from dy and what the forward pass returned: with x̂ = (x − μ)/√(σ² + ε) and m the count per channel,
     * dβ = Σ dy, dγ = Σ dy·x̂ and dx = γ/√(σ² + ε)·(dy − dβ/m − x̂·dγ/m).
     */
    static Tensor[] backward(Backend be, Tensor dy, Tensor x, Tensor mean, Tensor var, Tensor gamma, double eps) {
        Elementwise e = be.elementwise();
        Shape s = x.shape();
        int[] axes = axes(s);
        double m = (double) s.size() / s.dim(1);
        Tensor std = perChannel(be, be.fused().unary(UnaryOp.SQRT, be.fused().affine(var, 1, eps)), s);
        Tensor xhat = e.binary(BinaryOp.DIV, e.binary(BinaryOp.SUB, x, perChannel(be, mean, s)), std);
        Tensor dbeta = be.reductions().sum(dy, axes, true), dgamma = be.reductions().sum(e.binary(BinaryOp.MUL, dy, xhat), axes, true);
        Tensor centred = e.binary(BinaryOp.SUB, dy, be.fused().affine(dbeta, 1 / m, 0));
        Tensor inner = e.binary(BinaryOp.SUB, centred, e.binary(BinaryOp.MUL, xhat, be.fused().affine(dgamma, 1 / m, 0)));
        Tensor dx = e.binary(BinaryOp.MUL, inner, e.binary(BinaryOp.DIV, perChannel(be, gamma, s), std));
        return new Tensor[]{dx, vector(be, dgamma), vector(be, dbeta)};
    }

    /** {y, μ (..., 1), σ² (..., 1)} of a layer norm over x's last axis; γ and β (D) may be null. */
    static Tensor[] layerForward(Backend be, Tensor x, Tensor gamma, Tensor beta, double eps) {
        Elementwise e = be.elementwise();
        int[] last = {x.shape().rank() - 1};
        Tensor mu = be.fused().mean(x, last, true);
        Tensor xc = e.binary(BinaryOp.SUB, x, mu);
        Tensor var = be.fused().mean(e.binary(BinaryOp.MUL, xc, xc), last, true);
        Tensor y = e.binary(BinaryOp.DIV, xc, be.fused().unary(UnaryOp.SQRT, be.fused().affine(var, 1, eps)));
        if (gamma != null) y = e.binary(BinaryOp.MUL, y, gamma);
        return new Tensor[]{beta == null ? y : e.binary(BinaryOp.ADD, y, beta), mu, var};
    }

    /**
     * {dx, dγ, dβ} of a layer norm: with x̂ = (x − μ)/√(σ² + ε) and ĝ = dy·γ, dx = (ĝ − mean ĝ − x̂·mean(ĝ·x̂))/√(σ² + ε)
     * with means over the last axis, and dγ = Σ dy·x̂ (null without γ), dβ = Σ dy over every other axis.
     */
    static Tensor[] layerBackward(Backend be, Tensor dy, Tensor x, Tensor mean, Tensor var, Tensor gamma, double eps) {
        Elementwise e = be.elementwise();
        Shape s = x.shape();
        int[] last = {s.rank() - 1};
        Tensor std = be.fused().unary(UnaryOp.SQRT, be.fused().affine(var, 1, eps));
        Tensor xhat = e.binary(BinaryOp.DIV, e.binary(BinaryOp.SUB, x, mean), std);
        Tensor gh = gamma == null ? dy : e.binary(BinaryOp.MUL, dy, gamma);
        Tensor centred = e.binary(BinaryOp.SUB, gh, be.fused().mean(gh, last, true));
        Tensor inner = e.binary(BinaryOp.SUB, centred, e.binary(BinaryOp.MUL, xhat, be.fused().mean(e.binary(BinaryOp.MUL, gh, xhat), last, true)));
        Shape d = Shape.of(s.dim(-1));
        Tensor dgamma = gamma == null ? null : be.reductions().sumTo(e.binary(BinaryOp.MUL, dy, xhat), d);
        return new Tensor[]{e.binary(BinaryOp.DIV, inner, std), dgamma, be.reductions().sumTo(dy, d)};
    }
}
