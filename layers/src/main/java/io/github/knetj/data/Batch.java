package io.github.knetj.data;

import io.github.knetj.autograd.AutoGrad.Value;

/**
 * One minibatch: the inputs as a constant value of shape (n, xsize...) and, depending on the data, the n integer
 * labels (classification), float targets of shape (n, ysize...) (regression), or neither (x-only data, as a GAN's
 * real images).
 *
 * @param x       the inputs, on the default backend in the default dtype
 * @param labels  the class of each example, or null
 * @param targets the float targets, on x's backend in x's dtype, or null
 */
public record Batch(Value x, int[] labels, Value targets) {
    public Batch {
        java.util.Objects.requireNonNull(x, "Batch: x");
        int n = x.shape().rank() == 0 ? 1 : x.shape().dim(0);
        if (labels != null && labels.length != n)
            throw new IllegalArgumentException("Batch: " + labels.length + " labels for inputs of shape " + x.shape());
        if (targets != null && (targets.shape().rank() == 0 || targets.shape().dim(0) != n))
            throw new IllegalArgumentException("Batch: targets of shape " + targets.shape() + " for inputs of shape " + x.shape());
    }

    /** A batch with integer labels. */
    public Batch(Value x, int[] labels) { this(x, labels, null); }

    /** A batch with float targets. */
    public Batch(Value x, Value targets) { this(x, null, targets); }

    /** An x-only batch. */
    public Batch(Value x) { this(x, null, null); }

    /** Examples {@code [from, to)} of this batch, copied: the inputs, labels and targets alike. */
    public Batch slice(int from, int to) {
        int n = size();
        if (from < 0 || to > n || from >= to)
            throw new IllegalArgumentException("Batch.slice: examples [" + from + ", " + to + ") of a batch of " + n);
        return new Batch(rows(x, from, to), labels == null ? null : java.util.Arrays.copyOfRange(labels, from, to),
                targets == null ? null : rows(targets, from, to));
    }

    private static Value rows(Value v, int from, int to) {
        return new Value(v.backend().layout().slice(v.data(), 0, from, to));
    }

    /** The number of examples: the first dimension of x. */
    public int size() { return x.shape().rank() == 0 ? 1 : x.shape().dim(0); }
}
