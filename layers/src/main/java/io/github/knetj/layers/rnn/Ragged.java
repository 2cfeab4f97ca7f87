package io.github.knetj.layers.rnn;

import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.NNOps;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import static io.github.knetj.autograd.Ops.permute;
import static io.github.knetj.autograd.Ops.reshape;

/**
 * A ragged batch of token sequences in order of decreasing length: {@code order[k]} is the caller's index of the
 * k-th longest (ties keep the caller's order), padded with id 0 to (B, maxLength). Values are moved between the
 * caller's order and this one along their batch axis by a differentiable row gather.
 */
record Ragged(int[] order, int[] sortedLengths, int[] paddedIds, int maxLength) {
    static Ragged sort(Object layer, List<int[]> sequences) {
        int n = sequences.size();
        if (n == 0) throw new IllegalArgumentException(layer + ": the batch of sequences is empty");
        for (int i = 0; i < n; i++)
            if (sequences.get(i) == null || sequences.get(i).length == 0)
                throw new IllegalArgumentException(layer + ": sequence " + i + " of the batch is empty; every sequence needs at least one token");
        int[] order = IntStream.range(0, n).boxed()
                .sorted(Comparator.comparingInt((Integer i) -> sequences.get(i).length).reversed())
                .mapToInt(Integer::intValue).toArray();
        int max = sequences.get(order[0]).length;
        int[] lengths = new int[n], ids = new int[n * max];
        for (int k = 0; k < n; k++) {
            int[] s = sequences.get(order[k]);
            lengths[k] = s.length;
            System.arraycopy(s, 0, ids, k * max, s.length);
        }
        return new Ragged(order, lengths, ids, max);
    }

    int size() { return order.length; }

    /** v, whose axis is the caller's batch, in running order (null stays null). */
    Value toSorted(Value v, int axis) { return gather(v, axis, order); }

    /** v, whose axis is in running order, back in the caller's order (null stays null). */
    Value toCaller(Value v, int axis) {
        int[] inverse = new int[order.length];
        for (int k = 0; k < order.length; k++) inverse[order[k]] = k;
        return gather(v, axis, inverse);
    }

    /** Rows idx of v along axis 0 or 1, as an embedding lookup of the flattened rows (its gradient scatters back). */
    private static Value gather(Value v, int axis, int[] idx) {
        if (v == null || isIdentity(idx)) return v;
        if (axis == 1) return permute(gather(permute(v, 1, 0, 2), 0, idx), 1, 0, 2);
        int[] dims = v.shape().dims();
        if (dims[0] != idx.length) throw new IllegalArgumentException("ragged batch of " + idx.length + " sequences, but a state or output has shape " + v.shape());
        return reshape(NNOps.embed(reshape(v, dims[0], -1), idx), dims);
    }

    private static boolean isIdentity(int[] idx) {
        for (int i = 0; i < idx.length; i++) if (idx[i] != i) return false;
        return true;
    }

    @Override public String toString() { return "Ragged(order=" + Arrays.toString(order) + ", lengths=" + Arrays.toString(sortedLengths) + ")"; }
}
