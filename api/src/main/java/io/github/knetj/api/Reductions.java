package io.github.knetj.api;

/**
 * Reductions over any set of axes, two of the required primitives: sum and max. {@code axes} null or empty means
 * every axis; negative axes count from the end; {@code keepdims} keeps reduced axes with length 1. Mean, logsumexp
 * and argmax are optional kernels in {@link Fused}.
 */
public interface Reductions {
    Tensor sum(Tensor x, int[] axes, boolean keepdims);

    Tensor max(Tensor x, int[] axes, boolean keepdims);

    /**
     * Sums {@code x} down to {@code shape}, the gradient of broadcasting {@code shape} up to x's shape:
     * leading axes are summed away, axes where shape has 1 are summed with keepdims. A convenience over {@link #sum}.
     */
    default Tensor sumTo(Tensor x, Shape shape) {
        Shape from = x.shape();
        if (from.equals(shape)) return x;
        int lead = from.rank() - shape.rank();
        if (lead < 0) throw new IllegalArgumentException("sumTo: cannot sum shape " + from + " down to larger rank " + shape);
        int[] axes = new int[from.rank()];
        int n = 0;
        for (int a = 0; a < from.rank(); a++) {
            if (a < lead) axes[n++] = a;
            else if (shape.dim(a - lead) == 1 && from.dim(a) != 1) axes[n++] = a;
            else if (shape.dim(a - lead) != from.dim(a))
                throw new IllegalArgumentException("sumTo: shape " + from + " does not broadcast from " + shape);
        }
        Tensor s = n == 0 ? x : sum(x, java.util.Arrays.copyOf(axes, n), true);
        return x.backend().layout().reshape(s, shape);
    }
}
