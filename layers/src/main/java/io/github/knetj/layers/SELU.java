package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Ops;

/**
 * y = λ·(x > 0 ? x : α(e^x − 1)): the self-normalising ELU (λ ≈ 1.0507, α ≈ 1.6733), as a layer.
 */
public record SELU() implements Activation {
    @Override public Value apply(Value x) { return Ops.selu(x); }

    @Override public String name() { return "selu"; }

    @Override public String toString() { return "SELU()"; }
}
