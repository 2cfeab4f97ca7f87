package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.NNOps;
import io.github.knetj.train.Loss;

import static io.github.knetj.autograd.Ops.permute;
import static io.github.knetj.autograd.Ops.reshape;

/**
 * loss = −mean log softmax(scores, axis)[…, y, …]: cross-entropy of raw scores with the classes along {@code axis}
 * (KnetLayers' {@code CrossEntropyLoss(dims)}), one 0-based label per position of the other axes, in row-major order.
 * Scores (N, C) with axis −1 is the usual classifier's; (B, T, V) with axis −1 a language model's, labels (B·T).
 * It is a {@link Loss}, so {@code new Trainer().loss(new CrossEntropyLoss(1))} trains with it. Prints as
 * {@code CrossEntropyLoss(dims=-1)}.
 */
public record CrossEntropyLoss(int axis) implements Loss {
    /** Classes along the last axis. */
    public CrossEntropyLoss() { this(-1); }

    @Override public Value apply(Value scores, int[] labels) {
        int rank = scores.shape().rank();
        if (rank < 1) throw new IllegalArgumentException(this + ": expected scores with a class axis, got shape " + scores.shape());
        int a = scores.shape().axis(axis);
        // The class axis moved last and the rest flattened gives (positions, C) rows, one per label.
        int[] perm = new int[rank];
        for (int i = 0, k = 0; i < rank; i++) if (i != a) perm[k++] = i;
        perm[rank - 1] = a;
        Value moved = a == rank - 1 ? scores : permute(scores, perm);
        int classes = scores.shape().dim(a);
        long positions = scores.shape().size() / classes;
        if (positions != labels.length)
            throw new IllegalArgumentException(this + ": " + labels.length + " labels for scores " + scores.shape() + " with classes on axis " + a + " (expected " + positions + ")");
        return Losses.crossEntropy(reshape(moved, (int) positions, classes), labels);
    }

    @Override public String toString() { return "CrossEntropyLoss(dims=" + axis + ")"; }
}
