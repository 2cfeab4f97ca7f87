package io.github.knetj.cuda;

import io.github.knetj.api.Shape;

import java.util.Arrays;

/**
 * Builds the {@code Strided} struct of {@code common.cuh} (rank, offset, dims[8], strides[8], passed to a kernel by
 * value as 18 ints): a row-major walk over {@code dims} that visits element {@code offset + Σ index[k]·strides[k]}
 * of a buffer. Permute, broadcast, slice, concat and pad are all such walks.
 */
final class Strided {
    static final int MAX_RANK = 8;

    private Strided() {}

    /** The struct for a walk over dims with these strides and offset. */
    static int[] of(String op, int[] dims, int[] strides, int offset) {
        if (dims.length > MAX_RANK)
            throw new UnsupportedOperationException("cuda " + op + ": rank " + dims.length + " (shape " + Arrays.toString(dims)
                    + ") exceeds the " + MAX_RANK + " axes the CUDA kernels index");
        int[] s = new int[2 + 2 * MAX_RANK];
        s[0] = dims.length;
        s[1] = offset;
        System.arraycopy(dims, 0, s, 2, dims.length);
        System.arraycopy(strides, 0, s, 2 + MAX_RANK, strides.length);
        return s;
    }

    /**
     * The strides that read a tensor of shape {@code from} while walking the broadcast shape {@code to}: the
     * tensor's own strides, 0 along its size-1 axes and along the leading axes it lacks.
     */
    static int[] broadcastStrides(Shape from, Shape to) {
        int[] own = from.strides(), out = new int[to.rank()];
        int lead = to.rank() - from.rank();
        for (int a = lead; a < to.rank(); a++) out[a] = from.dim(a - lead) == 1 ? 0 : own[a - lead];
        return out;
    }

    /** x's strides reordered so that walking the permuted shape reads x: output axis i is input axis perm[i]. */
    static int[] permutedStrides(Shape x, int[] perm) {
        int[] own = x.strides(), out = new int[perm.length];
        for (int i = 0; i < perm.length; i++) out[i] = own[perm[i]];
        return out;
    }
}
