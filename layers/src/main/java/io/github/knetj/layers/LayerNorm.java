package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.NNOps;

/**
 * y = (x − μ)/√(σ² + ε)·γ + β over the last axis: layer normalisation (Ba et al. 2016), each row normalised by its
 * own mean and biased variance, with a learned scale γ and shift β of the last axis' length.
 * <p>
 * {@code new LayerNorm(64)} prints as {@code LayerNorm(64)}.
 */
public record LayerNorm(Param gamma, Param beta, double eps) implements Layer {
    public LayerNorm {
        if (gamma == null || beta == null || gamma.shape().rank() != 1 || !gamma.shape().equals(beta.shape()))
            throw new IllegalArgumentException("LayerNorm: gamma and beta must be vectors of one shape, got " + (gamma == null ? null : gamma.shape()) + " and " + (beta == null ? null : beta.shape()));
        if (!(eps > 0)) throw new IllegalArgumentException("LayerNorm: eps must be > 0, got " + eps);
    }

    /** γ = 1, β = 0, ε = 1e-5. */
    public LayerNorm(int dim) { this(Init.param1(dim), Init.param0(dim), 1e-5); }

    public int dim() { return gamma.shape().dim(0); }

    @Override public Value apply(Value x) {
        if (x.shape().rank() < 1 || x.shape().dim(-1) != dim())
            throw new IllegalArgumentException(this + ": expected input (..., " + dim() + "), got shape " + x.shape());
        Check.sameKind(this, x, gamma);
        return NNOps.layernorm(x, gamma, beta, eps);
    }

    @Override public String toString() { return "LayerNorm(" + dim() + (eps == 1e-5 ? "" : ", eps=" + Check.num(eps)) + ")"; }
}
