package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Ops;

/**
 * y = x > 0 ? x : slope·x: the leaky rectified linear unit, as a layer; the slope is 0.01 by default.
 */
public record LeakyReLU(double slope) implements Activation {
    public LeakyReLU() { this(0.01); }

    @Override public Value apply(Value x) { return Ops.leakyRelu(x, slope); }

    @Override public String name() { return "leakyrelu(" + slope + ")"; }

    @Override public String toString() { return "LeakyReLU(" + slope + ")"; }
}
