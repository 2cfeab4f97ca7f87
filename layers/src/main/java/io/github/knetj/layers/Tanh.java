package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Ops;

/**
 * y = tanh(x): the hyperbolic tangent, as a layer.
 */
public record Tanh() implements Activation {
    @Override public Value apply(Value x) { return Ops.tanh(x); }

    @Override public String name() { return "tanh"; }

    @Override public String toString() { return "Tanh()"; }
}
