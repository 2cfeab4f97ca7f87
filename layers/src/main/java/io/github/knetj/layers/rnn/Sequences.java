package io.github.knetj.layers.rnn;

import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Defaults;

import java.util.List;

/**
 * KnetLayers' padding helpers for batches of sequences of different lengths, batch-first:
 * {@link #padSequenceArray} (KnetLayers' {@code PadSequenceArray}) pads token ids to a (B, T) array, {@link #mask} gives
 * the (B, T) mask of real steps, and {@link #padRNNOutput} (KnetLayers' {@code PadRNNOutput}) pairs a ragged run's
 * padded y with that mask, for losses that must skip the padding.
 */
public final class Sequences {
    private Sequences() {}

    /** y (B, T, D·H), zero past each sequence's end, and mask (B, T), 1 on real steps and 0 on padding. */
    public record Padded(Value y, Value mask) {}

    /** The sequences as rows of a (B, T) array, T the longest length, shorter rows filled with {@code pad} at the end. */
    public static int[][] padSequenceArray(List<int[]> batch, int pad) {
        int t = maxLength(batch);
        int[][] out = new int[batch.size()][t];
        for (int b = 0; b < batch.size(); b++) {
            java.util.Arrays.fill(out[b], pad);
            System.arraycopy(batch.get(b), 0, out[b], 0, batch.get(b).length);
        }
        return out;
    }

    /** A (B, T) constant on the default backend: 1 where step t &lt; the length of sequence b, else 0. */
    public static Value mask(List<int[]> batch) {
        int t = maxLength(batch);
        double[] m = new double[batch.size() * t];
        for (int b = 0; b < batch.size(); b++) java.util.Arrays.fill(m, b * t, b * t + batch.get(b).length, 1);
        return new Value(Defaults.backend().memory().fromArray(m, Shape.of(batch.size(), t), Defaults.dtype()));
    }

    /** A ragged run's output (from {@link Recurrent#forward(List)} on {@code batch}) with the mask of its real steps. */
    public static Padded padRNNOutput(RNNOutput out, List<int[]> batch) {
        Value mask = mask(batch);
        if (out.y().shape().rank() != 3 || out.y().shape().dim(0) != batch.size() || out.y().shape().dim(1) != mask.shape().dim(1))
            throw new IllegalArgumentException("padRNNOutput: y " + out.y().shape() + " is not the (B, T, ·) output of these " + batch.size()
                    + " sequences of length up to " + mask.shape().dim(1));
        return new Padded(out.y(), mask);
    }

    private static int maxLength(List<int[]> batch) {
        if (batch.isEmpty()) throw new IllegalArgumentException("sequences: the batch is empty");
        int t = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i) == null || batch.get(i).length == 0) throw new IllegalArgumentException("sequences: sequence " + i + " is empty");
            t = Math.max(t, batch.get(i).length);
        }
        return t;
    }
}
