package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Ops;

/**
 * y = x + b: a learned bias over the last axis (KnetLayers' {@code Bias}), broadcast over every other axis.
 * {@code new Bias(10)} starts at zero and prints as {@code Bias(10)}.
 */
public record Bias(Param b) implements Layer {
    public Bias {
        if (b == null || b.shape().rank() != 1) throw new IllegalArgumentException("Bias: b must be a vector parameter, got " + (b == null ? null : b.shape()));
    }

    /** A zero bias of this length. */
    public Bias(int size) { this(Init.param0(size)); }

    public int size() { return b.shape().dim(0); }

    @Override public Value apply(Value x) {
        if (x.shape().rank() < 1 || x.shape().dim(-1) != size())
            throw new IllegalArgumentException(this + ": expected input (..., " + size() + "), got shape " + x.shape());
        Check.sameKind(this, x, b);
        return Ops.add(x, b);
    }

    @Override public String toString() { return "Bias(" + size() + ")"; }
}
