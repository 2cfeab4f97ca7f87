package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.NNOps;

/**
 * y = e^x / Σ e^x along an axis: the softmax, as a layer; the axis is the last (the classes of (N, C) scores) by default.
 */
public record Softmax(int axis) implements Activation {
    public Softmax() { this(-1); }

    @Override public Value apply(Value x) { return NNOps.softmax(x, axis); }

    @Override public String name() { return axis == -1 ? "softmax" : "softmax(axis=" + axis + ")"; }

    @Override public String toString() { return axis == -1 ? "Softmax()" : "Softmax(axis=" + axis + ")"; }
}
