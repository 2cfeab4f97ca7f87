package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Ops;

/**
 * y = max(0, x): the rectified linear unit, as a layer.
 */
public record ReLU() implements Activation {
    @Override public Value apply(Value x) { return Ops.relu(x); }

    @Override public String name() { return "relu"; }

    @Override public String toString() { return "ReLU()"; }
}
