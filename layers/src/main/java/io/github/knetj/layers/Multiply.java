package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;

/**
 * y = W x: a linear map without bias (KnetLayers' {@code Multiply}), computed on rows as y = x Wᵀ for x (N, in) with
 * W (out, in); higher-rank input (N, ...) is flattened with {@code mat} first. {@code new Multiply(784, 10)} has
 * Xavier-uniform weights and prints as {@code Multiply(784 => 10)}.
 */
public record Multiply(Param w) implements Layer {
    public Multiply {
        if (w == null || w.shape().rank() != 2) throw new IllegalArgumentException("Multiply: w must be a (out, in) parameter, got " + (w == null ? null : w.shape()));
    }

    public Multiply(int in, int out) { this(Init.param(out, in)); }

    public int in() { return w.shape().dim(1); }

    public int out() { return w.shape().dim(0); }

    @Override public Value apply(Value x) { return Check.affine(this, w, null, x); }

    @Override public String toString() { return "Multiply(" + in() + " => " + out() + ")"; }
}
