package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Ops;

import java.util.Arrays;

/**
 * y = log Σ e^x over the given axes, computed stably (KnetLayers' {@code LogSumExp(dims)}); the axes are dropped
 * unless keepdims. {@code new LogSumExp(-1)} reduces the last axis and prints as {@code LogSumExp(dims=[-1])}.
 */
public record LogSumExp(int[] axes, boolean keepdims) implements Layer {
    public LogSumExp {
        if (axes == null || axes.length == 0) throw new IllegalArgumentException("LogSumExp: give at least one axis");
        axes = axes.clone();
    }

    /** Over these axes, dropping them. */
    public LogSumExp(int... axes) { this(axes, false); }

    @Override public int[] axes() { return axes.clone(); }

    @Override public Value apply(Value x) { return Ops.logsumexp(x, keepdims, axes); }

    @Override public String toString() { return "LogSumExp(dims=" + Arrays.toString(axes) + (keepdims ? ", keepdims" : "") + ")"; }
}
