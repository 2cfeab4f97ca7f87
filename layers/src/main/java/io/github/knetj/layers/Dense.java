package io.github.knetj.layers;

import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;

/**
 * y = σ(W x + b): a fully connected layer, computed on rows as y = σ(x Wᵀ + b) for x (N, in), with W (out, in) and
 * b (out) as in PyTorch; higher-rank input (N, ...) is flattened with {@code mat} first (Knet's {@code Dense}).
 * <p>
 * The activation σ is {@link ReLU} unless given; a null activation leaves the affine map alone, as {@link Linear}
 * does. {@code new Dense(784, 100)} prints as {@code Dense(784 => 100, relu)}.
 */
public record Dense(Param w, Param b, Activation f) implements Layer {
    public Dense {
        if (w == null || w.shape().rank() != 2) throw new IllegalArgumentException("Dense: w must be a (out, in) parameter, got " + (w == null ? null : w.shape()));
        if (b == null || !b.shape().equals(Shape.of(w.shape().dim(0))))
            throw new IllegalArgumentException("Dense: b must have shape [" + w.shape().dim(0) + "] for w " + w.shape() + ", got " + (b == null ? null : b.shape()));
    }

    /** in => out with relu. */
    public Dense(int in, int out) { this(in, out, new ReLU()); }

    /** in => out with the activation f (null: none). */
    public Dense(int in, int out, Activation f) { this(Init.param(Check.sizes("Dense(" + in + " => " + out + ")", out, in)), Init.param0(out), f); }

    public int in() { return w.shape().dim(1); }

    public int out() { return w.shape().dim(0); }

    @Override public Value apply(Value x) {
        Value y = Check.affine(this, w, b, x);
        return f == null ? y : f.apply(y);
    }

    @Override public String toString() { return "Dense(" + in() + " => " + out() + (f == null ? "" : ", " + f.name()) + ")"; }
}
