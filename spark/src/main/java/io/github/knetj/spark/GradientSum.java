package io.github.knetj.spark;

import java.io.Serializable;

/**
 * What one synchronous step brings back to the driver: for every parameter, the sum over all workers of
 * (local examples × the gradient of the local mean loss), which is the global batch's gradient sum, and the step's
 * loss and accuracy summed the same way. {@code treeAggregate} folds the workers' sums into one; the arrays are
 * float64, so adding two workers' float32 gradients loses nothing.
 */
public final class GradientSum implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Per parameter, the weighted gradient sum; null where no worker had a gradient for it (yet). */
    double[][] sums;
    /** Σ n_k · (local mean loss). */
    double lossSum;
    /** Σ n_k · (local accuracy): the number of examples classified right. */
    double correct;
    /** Σ n_k. */
    long examples;
    /** Σ over workers of the seconds spent computing their gradients (not waiting, not moving bytes). */
    double computeSeconds;
    /** How many workers' results this sum holds. */
    int parts;

    /** The empty sum, treeAggregate's zero. */
    public static GradientSum empty() { return new GradientSum(); }

    /** Adds {@code other} into this sum and returns this (Spark allows a fold to reuse its accumulator). */
    public GradientSum merge(GradientSum other) {
        if (other.parts == 0) return this;
        if (sums == null) sums = new double[other.sums.length][];
        if (sums.length != other.sums.length)
            throw new IllegalStateException("GradientSum: workers disagree on the number of parameters (" + sums.length + " and " + other.sums.length + ")");
        for (int i = 0; i < sums.length; i++) {
            double[] o = other.sums[i];
            if (o == null) continue;
            if (sums[i] == null) { sums[i] = o.clone(); continue; }
            double[] s = sums[i];
            for (int j = 0; j < s.length; j++) s[j] += o[j];
        }
        lossSum += other.lossSum;
        correct += other.correct;
        examples += other.examples;
        computeSeconds += other.computeSeconds;
        parts += other.parts;
        return this;
    }

    /** The gradient sum of parameter i, or null when no worker's loss depended on it. */
    public double[] sum(int i) { return sums == null ? null : sums[i]; }

    public double lossSum() { return lossSum; }

    public double correct() { return correct; }

    public long examples() { return examples; }

    public double computeSeconds() { return computeSeconds; }

    public int parts() { return parts; }
}
