package io.github.knetj.layers.rnn;

import io.github.knetj.api.CounterRng;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.layers.Init;

/**
 * Where a recurrent layer's initial weights come from: {@link RNNConfig#winit}/{@link RNNConfig#binit} when given,
 * else PyTorch's uniform ±1/√H; drawn from the layer's own {@link RNNConfig#seed} when given (a counter per draw),
 * else from {@link Init}'s global stream.
 */
final class WeightSource {
    private final RNNConfig config;
    private final double bound;
    private long draws;

    WeightSource(RNNConfig config, double bound) { this.config = config; this.bound = bound; }

    Param weight(int... dims) { return new Param(check(config.winit() != null ? config.winit().fill(dims) : uniform(dims), dims, "winit")); }

    Param bias(int... dims) { return new Param(check(config.binit() != null ? config.binit().fill(dims) : uniform(dims), dims, "binit")); }

    private Tensor uniform(int... dims) {
        long seed = config.seed() != null ? CounterRng.bits(config.seed(), draws++) : Init.nextSeed();
        return Defaults.backend().random().uniform(Shape.of(dims), Defaults.dtype(), -bound, bound, seed);
    }

    private static Tensor check(Tensor t, int[] dims, String what) {
        if (!t.shape().equals(Shape.of(dims)))
            throw new IllegalArgumentException("RNNConfig." + what + ": asked for " + Shape.of(dims) + ", it made " + t.shape());
        return t;
    }
}
