package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.BatchNormStats;
import io.github.knetj.autograd.NNOps;

/**
 * y = (x − μ)/√(σ² + ε)·γ + β per channel: batch normalisation of (N, C) or (N, C, H, W) input over every axis but
 * the channels, with the batch's mean and (biased) variance while training and the running statistics otherwise.
 * <p>
 * While training, the running statistics move as in PyTorch: running = (1 − momentum)·running + momentum·batch, with
 * the unbiased batch variance. They are not parameters (no gradient flows to them) but part of the model's state:
 * {@link #stats()} exposes them so that saving and loading can keep them. It trains inside {@code diff} unless forced
 * with {@link #train()} or {@link #eval()} (see {@link TrainingMode}). {@code new BatchNorm(16)} prints as
 * {@code BatchNorm(16)}.
 */
public final class BatchNorm implements Layer, TrainingMode {
    private final Param gamma;
    private final Param beta;
    private final BatchNormStats stats;
    private final double momentum;
    private final double eps;
    private Boolean training;

    /** γ = 1, β = 0, running mean 0 and variance 1, momentum 0.1, ε = 1e-5 (PyTorch's defaults). */
    public BatchNorm(int channels) { this(channels, 0.1, 1e-5); }

    public BatchNorm(int channels, double momentum, double eps) {
        if (channels < 1) throw new IllegalArgumentException("BatchNorm: channels must be >= 1, got " + channels);
        if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException("BatchNorm: momentum must be in [0, 1], got " + momentum);
        if (!(eps > 0)) throw new IllegalArgumentException("BatchNorm: eps must be > 0, got " + eps);
        this.gamma = Init.param1(channels);
        this.beta = Init.param0(channels);
        this.stats = new BatchNormStats(Init.zeros(channels), Init.ones(channels));
        this.momentum = momentum;
        this.eps = eps;
    }

    public Param gamma() { return gamma; }

    public Param beta() { return beta; }

    /** The running mean and variance (shape (C)), for inspection, saving and loading. */
    public BatchNormStats stats() { return stats; }

    public int channels() { return gamma.shape().dim(0); }

    /** Always normalises with the batch's statistics and updates the running ones. */
    public BatchNorm train() { setTraining(true); return this; }

    /** Always normalises with the running statistics. */
    public BatchNorm eval() { setTraining(false); return this; }

    @Override public void setTraining(Boolean on) { training = on; }

    @Override public Boolean forcedTraining() { return training; }

    @Override public Value apply(Value x) {
        int rank = x.shape().rank();
        String expected = "(N, " + channels() + ") or (N, " + channels() + ", H, W)";
        if (rank != 2 && rank != 4) throw new IllegalArgumentException(this + ": expected input " + expected + ", got shape " + x.shape());
        Check.dim(this, x, 1, channels(), expected);
        Check.sameKind(this, x, gamma);
        return NNOps.batchnorm(x, gamma, beta, stats, isTraining(), momentum, eps);
    }

    @Override public String toString() {
        return "BatchNorm(" + channels() + (momentum == 0.1 ? "" : ", momentum=" + Check.num(momentum)) + (eps == 1e-5 ? "" : ", eps=" + Check.num(eps))
                + (training == null ? "" : training ? ", train" : ", eval") + ")";
    }
}
