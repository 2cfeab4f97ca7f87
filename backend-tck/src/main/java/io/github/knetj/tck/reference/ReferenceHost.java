package io.github.knetj.tck.reference;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.HostTensor;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;

/**
 * Helpers shared by the reference kernels: validate and read inputs as doubles, make results that round once to the
 * dtype, and the index maps that turn broadcast, permute, slice and pad into one gather.
 */
final class ReferenceHost {
    private ReferenceHost() {}

    /** Checks that every tensor is on {@code backend} with one dtype (the error names {@code op}); returns the dtype. */
    static DType check(String op, Backend backend, Tensor... xs) { return Checks.sameBackendAndDtype(op, backend, xs); }

    /** The elements of a (checked) tensor of this backend, widened to double. */
    static double[] values(Tensor t) { return ((HostTensor) t).toDoubleArray(); }

    /** A tensor holding {@code v}, each element rounded once to float when dtype is float32. */
    static HostTensor result(Backend backend, Shape shape, DType dtype, double[] v) {
        if (dtype == DType.FLOAT64) return HostTensor.of(backend, shape, v.clone());
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return HostTensor.of(backend, shape, f);
    }

    /**
     * For every element of {@code out} (row-major), the flat index {@code offset + Σ idx[a]·strides[a]} of the source
     * element it reads: stride 0 repeats an element (broadcasting), permuted strides transpose, an offset slices.
     */
    static int[] gatherIndex(Shape out, int[] strides, int offset) {
        int[] dims = out.dims();
        int[] map = new int[out.sizeInt()];
        int[] idx = new int[dims.length];
        int src = offset;
        for (int i = 0; i < map.length; i++) {
            map[i] = src;
            // Advance the multi-index like an odometer, keeping src in step.
            for (int a = dims.length - 1; a >= 0; a--) {
                idx[a]++;
                src += strides[a];
                if (idx[a] < dims[a]) break;
                src -= strides[a] * idx[a];
                idx[a] = 0;
            }
        }
        return map;
    }

    /** Strides that read a tensor of shape {@code from} as if broadcast to {@code to} (0 along stretched or missing axes). */
    static int[] broadcastStrides(Shape from, Shape to) {
        int[] s = new int[to.rank()];
        int[] fs = from.strides();
        int lead = to.rank() - from.rank();
        for (int a = lead; a < to.rank(); a++) s[a] = from.dim(a - lead) == 1 ? 0 : fs[a - lead];
        return s;
    }
}
