package io.github.knetj.layers;

import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;

/**
 * y = W x + b: an affine map, computed on rows as y = x Wᵀ + b for x (N, in), with W (out, in) and b (out) as in
 * PyTorch; higher-rank input (N, ...) is flattened with {@code mat} first. A {@link Dense} without activation.
 * <p>
 * {@code new Linear(784, 10)} prints as {@code Linear(784 => 10)}; {@code b} is null for a layer without bias.
 */
public record Linear(Param w, Param b) implements Layer {
    public Linear {
        if (w == null || w.shape().rank() != 2) throw new IllegalArgumentException("Linear: w must be a (out, in) parameter, got " + (w == null ? null : w.shape()));
        if (b != null && !b.shape().equals(Shape.of(w.shape().dim(0))))
            throw new IllegalArgumentException("Linear: b must have shape [" + w.shape().dim(0) + "] for w " + w.shape() + ", got " + b.shape());
    }

    /** Xavier-uniform weights and zero bias. */
    public Linear(int in, int out) { this(in, out, true); }

    /** Xavier-uniform weights, and a zero bias or none. */
    public Linear(int in, int out, boolean bias) { this(Init.param(Check.sizes("Linear(" + in + " => " + out + ")", out, in)), bias ? Init.param0(out) : null); }

    public int in() { return w.shape().dim(1); }

    public int out() { return w.shape().dim(0); }

    @Override public Value apply(Value x) { return Check.affine(this, w, b, x); }

    @Override public String toString() { return "Linear(" + in() + " => " + out() + (b == null ? ", bias=false" : "") + ")"; }
}
