package io.github.knetj.api;

/** Ops that move elements without arithmetic, five required primitives: reshape, permute, broadcast, concat, slice. */
public interface Layout {
    /** The same elements in another shape of the same size. */
    Tensor reshape(Tensor x, Shape shape);

    /** Axes reordered: output axis i is input axis {@code perm[i]} (NumPy's transpose). */
    Tensor permute(Tensor x, int... perm);

    /** {@code x} repeated along its size-1 (or missing leading) axes to {@code shape}, NumPy broadcasting rules. */
    Tensor broadcastTo(Tensor x, Shape shape);

    /** Tensors joined along {@code axis}; all other axes must agree. */
    Tensor concat(int axis, Tensor... xs);

    /** Elements {@code start <= i < end} along {@code axis}. */
    Tensor slice(Tensor x, int axis, int start, int end);
}
