package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Ops;

/**
 * y = w ⊙ x + b: an element-wise learned scale and shift of the last axis (a diagonal weight matrix; Flux's and
 * KnetLayers' {@code Diagonal}). {@code new Diagonal(10)} starts as the identity (w = 1, b = 0) and prints as
 * {@code Diagonal(10)}.
 */
public record Diagonal(Param w, Param b) implements Layer {
    public Diagonal {
        if (w == null || w.shape().rank() != 1 || b == null || !b.shape().equals(w.shape()))
            throw new IllegalArgumentException("Diagonal: w and b must be vectors of one shape, got " + (w == null ? null : w.shape()) + " and " + (b == null ? null : b.shape()));
    }

    /** The identity map of this length, to be learned. */
    public Diagonal(int size) { this(Init.param1(size), Init.param0(size)); }

    public int size() { return w.shape().dim(0); }

    @Override public Value apply(Value x) {
        if (x.shape().rank() < 1 || x.shape().dim(-1) != size())
            throw new IllegalArgumentException(this + ": expected input (..., " + size() + "), got shape " + x.shape());
        Check.sameKind(this, x, w);
        return Ops.add(Ops.mul(x, w), b);
    }

    @Override public String toString() { return "Diagonal(" + size() + ")"; }
}
