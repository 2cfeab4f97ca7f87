package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Ops;

/**
 * y = x > 0 ? x : α(e^x − 1): the exponential linear unit, as a layer; α is 1 by default.
 */
public record ELU(double alpha) implements Activation {
    public ELU() { this(1.0); }

    @Override public Value apply(Value x) { return Ops.elu(x, alpha); }

    @Override public String name() { return alpha == 1.0 ? "elu" : "elu(" + alpha + ")"; }

    @Override public String toString() { return alpha == 1.0 ? "ELU()" : "ELU(" + alpha + ")"; }
}
