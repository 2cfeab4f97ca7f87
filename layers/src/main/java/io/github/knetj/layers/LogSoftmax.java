package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.NNOps;

/**
 * y = x − log Σ e^x along an axis: the log-softmax, as a layer; the axis is the last (the classes of (N, C) scores) by default.
 */
public record LogSoftmax(int axis) implements Activation {
    public LogSoftmax() { this(-1); }

    @Override public Value apply(Value x) { return NNOps.logsoftmax(x, axis); }

    @Override public String name() { return axis == -1 ? "logsoftmax" : "logsoftmax(axis=" + axis + ")"; }

    @Override public String toString() { return axis == -1 ? "LogSoftmax()" : "LogSoftmax(axis=" + axis + ")"; }
}
