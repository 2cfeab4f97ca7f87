package io.github.knetj.api;

/**
 * The gathers and scatters of embeddings: two required primitives. Softmax, class picks, recurrent cells and the
 * other neural-network kernels are optional, in {@link Fused}.
 */
public interface NN {
    /** Rows of {@code table} (V, D) picked by {@code indices} → (indices.length, D): an embedding lookup. */
    Tensor gatherRows(Tensor table, int[] indices);

    /** The gradient of gatherRows: row i of {@code src} (n, D) added into row indices[i] of a zero (rows, D) tensor. */
    Tensor scatterAddRows(Tensor src, int[] indices, int rows);
}
