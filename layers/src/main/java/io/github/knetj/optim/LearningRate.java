package io.github.knetj.optim;

/**
 * A learning-rate schedule: the rate to use at a given optimizer step, as a function of the optimizer's base rate.
 * Steps count calls of {@link Optimizer#step}, from 0; schedules are per step (not per epoch) so that they need no
 * knowledge of the data. Compose them: {@code warmup(500, cosine(10_000, 1e-5))}.
 */
@FunctionalInterface
public interface LearningRate {
    /** The rate at step {@code step} (0-based) for an optimizer whose base rate is {@code base}. */
    double at(double base, long step);

    /** The base rate at every step. */
    static LearningRate constant() { return (base, step) -> base; }

    /** base·gamma^⌊step/every⌋, PyTorch's StepLR counted in steps. */
    static LearningRate step(long every, double gamma) {
        if (every <= 0) throw new IllegalArgumentException("LearningRate.step: every must be positive, got " + every);
        return (base, step) -> base * Math.pow(gamma, (double) (step / every));
    }

    /** base·gamma^step, PyTorch's ExponentialLR counted in steps. */
    static LearningRate exponential(double gamma) { return (base, step) -> base * Math.pow(gamma, step); }

    /**
     * Cosine annealing from base down to {@code min} over {@code total} steps, then {@code min}:
     * min + (base − min)·(1 + cos(π·step/total))/2, PyTorch's CosineAnnealingLR without restarts.
     */
    static LearningRate cosine(long total, double min) {
        if (total <= 0) throw new IllegalArgumentException("LearningRate.cosine: total steps must be positive, got " + total);
        return (base, step) -> min + (base - min) * (1 + Math.cos(Math.PI * Math.min(step, total) / total)) / 2;
    }

    /**
     * Linear warm-up over the first {@code steps} steps (base·(step+1)/steps), then {@code then} counted from the
     * end of the warm-up, so that a decay starts at the full rate.
     */
    static LearningRate warmup(long steps, LearningRate then) {
        if (steps < 0) throw new IllegalArgumentException("LearningRate.warmup: steps must not be negative, got " + steps);
        return (base, step) -> step < steps ? base * (step + 1) / steps : then.at(base, step - steps);
    }
}
