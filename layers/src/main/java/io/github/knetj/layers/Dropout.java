package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.NNOps;

/**
 * y = m ⊙ x / (1 − p) with m ~ Bernoulli(1 − p) while training, y = x otherwise: inverted dropout (Knet's
 * {@code dropout}).
 * <p>
 * It trains inside {@code diff} unless forced with {@link #train()} or {@link #eval()} (see {@link TrainingMode});
 * each training call draws a fresh mask seeded by {@link Init#nextSeed()}, so {@link Init#seed} replays the masks.
 * {@code new Dropout(0.5)} prints as {@code Dropout(0.5)}.
 */
public final class Dropout implements Layer, TrainingMode {
    private final double p;
    private Boolean training;

    /** Drops each element with probability p in [0, 1). */
    public Dropout(double p) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        this.p = p;
    }

    public double p() { return p; }

    /** Always drops, inside diff or not. */
    public Dropout train() { setTraining(true); return this; }

    /** Never drops. */
    public Dropout eval() { setTraining(false); return this; }

    @Override public void setTraining(Boolean on) { training = on; }

    @Override public Boolean forcedTraining() { return training; }

    @Override public Value apply(Value x) { return isTraining() && p > 0 ? NNOps.dropout(x, p, Init.nextSeed(), true) : x; }

    @Override public String toString() { return "Dropout(" + p + (training == null ? "" : training ? ", train" : ", eval") + ")"; }
}
