package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Ops;

/**
 * y = x·Φ(x): the Gaussian error linear unit, Φ the standard normal CDF (exact erf form), as a layer.
 */
public record GELU() implements Activation {
    @Override public Value apply(Value x) { return Ops.gelu(x); }

    @Override public String name() { return "gelu"; }

    @Override public String toString() { return "GELU()"; }
}
