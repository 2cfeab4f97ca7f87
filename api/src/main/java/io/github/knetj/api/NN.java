package io.github.knetj.api;

/** Neural-network kernels: softmax along an axis, and the gathers and scatters of embeddings and class labels. */
public interface NN {
    /** e^x / Σ e^x along {@code axis}, stable. */
    Tensor softmax(Tensor x, int axis);

    /** x − logsumexp(x) along {@code axis}, stable. */
    Tensor logSoftmax(Tensor x, int axis);

    /** Rows of {@code table} (V, D) picked by {@code indices} → (indices.length, D): an embedding lookup. */
    Tensor gatherRows(Tensor table, int[] indices);

    /** The gradient of gatherRows: row i of {@code src} (n, D) added into row indices[i] of a zero (rows, D) tensor. */
    Tensor scatterAddRows(Tensor src, int[] indices, int rows);

    /** x[i, labels[i]] for x (N, C) → (N): the log-probability of each example's label. */
    Tensor pickClasses(Tensor x, int[] labels);

    /** The gradient of pickClasses: g (N) placed at [i, labels[i]] of a zero (N, classes) tensor. */
    Tensor placeClasses(Tensor g, int[] labels, int classes);
}
