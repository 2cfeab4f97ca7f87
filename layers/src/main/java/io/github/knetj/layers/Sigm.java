package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Ops;

/**
 * y = 1 / (1 + e^−x): the logistic sigmoid (Knet's {@code sigm}), as a layer.
 */
public record Sigm() implements Activation {
    @Override public Value apply(Value x) { return Ops.sigm(x); }

    @Override public String name() { return "sigm"; }

    @Override public String toString() { return "Sigm()"; }
}
