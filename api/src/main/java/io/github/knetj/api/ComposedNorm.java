package io.github.knetj.api;

/**
 * The defaults of {@link Fused#batchNorm} and {@link Fused#batchNormBackward}: batch normalisation in training mode
 * written with the required primitives, each step as the autograd composition {@code NNOps.batchnorm} takes it, so a
 * backend without its own kernel computes the same numbers as that composition.
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
}
