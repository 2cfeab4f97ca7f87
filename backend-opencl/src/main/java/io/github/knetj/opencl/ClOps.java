package io.github.knetj.opencl;

import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;

import java.util.Arrays;

/**
 * What every op group of the OpenCL backend shares: argument checks with the project's messages, output
 * allocation, index buffers uploaded from the host, and the int8 vectors that carry shapes and strides to kernels.
 */
abstract class ClOps {
    /** The most axes a strided kernel handles (its shapes travel as one int8 vector). */
    static final int MAX_RANK = 8;

    final OpenClBackend backend;
    final ClContext cl;

    ClOps(OpenClBackend backend) {
        this.backend = backend;
        this.cl = backend.cl();
    }

    /** Every tensor is an open tensor of this backend with one supported dtype; returns that dtype. */
    DType check(String op, Tensor... xs) {
        DType d = Checks.sameBackendAndDtype(op, backend, xs);
        for (Tensor x : xs) ((ClTensor) x).mem();   // a closed tensor fails here, naming its shape
        return d;
    }

    ClTensor alloc(Shape shape, DType dtype) { return backend.allocate(shape, dtype); }

    static ClTensor t(Tensor x) { return (ClTensor) x; }

    /** A temporary device buffer of {@code elements} of dtype; release it after queuing its last use. */
    BufferPool.Storage temp(long elements, int bytesPerElement) { return backend.pool().acquire(elements * bytesPerElement); }

    void release(BufferPool.Storage s) { backend.pool().release(s); }

    /** {@code v} padded with {@code fill} to the 8 lanes of an int8 kernel argument; an error past 8 axes. */
    static int[] vec8(String op, int[] v, int fill) {
        if (v.length > MAX_RANK)
            throw new UnsupportedOperationException(op + ": rank " + v.length + " exceeds the OpenCL backend's limit of " + MAX_RANK + " axes");
        int[] out = Arrays.copyOf(v, MAX_RANK);
        Arrays.fill(out, v.length, MAX_RANK, fill);
        return out;
    }

    /**
     * The same strided walk over fewer axes: size-1 axes dropped, and each axis merged into the next wherever every
     * operand steps across it as one run (stride = next stride × next length). The output's flat order is unchanged,
     * and kernels do fewer divisions per element. Returns {dims, strides of operand 0, strides of operand 1, ...}.
     */
    static int[][] collapse(int[] dims, int[]... strides) {
        int ops = strides.length, r = 0;
        int[][] out = new int[ops + 1][dims.length];
        for (int a = dims.length - 1; a >= 0; a--) {
            if (dims[a] == 1) continue;
            boolean merge = r > 0;
            for (int k = 0; k < ops && merge; k++) merge = strides[k][a] == out[k + 1][r - 1] * out[0][r - 1];
            if (merge) {
                out[0][r - 1] *= dims[a];
            } else {
                out[0][r] = dims[a];
                for (int k = 0; k < ops; k++) out[k + 1][r] = strides[k][a];
                r++;
            }
        }
        // Built from the last axis backwards: reverse into row-major order.
        int[][] result = new int[ops + 1][r];
        for (int k = 0; k <= ops; k++) for (int i = 0; i < r; i++) result[k][i] = out[k][r - 1 - i];
        return result;
    }

    /** Collapsed axes (see {@link #collapse}) of at most 3, left-padded to exactly 3 with length 1 / stride 0. */
    static int[][] three(int[][] collapsed) {
        int r = collapsed[0].length, pad = 3 - r;
        int[][] out = new int[collapsed.length][MAX_RANK];
        for (int k = 0; k < collapsed.length; k++) {
            for (int i = 0; i < pad; i++) out[k][i] = k == 0 ? 1 : 0;
            System.arraycopy(collapsed[k], 0, out[k], pad, r);
        }
        return out;
    }

    /** The 3-D range of a {@link #three} walk: innermost axis first. */
    static long[] range3(int[] dims) { return new long[] {dims[2], dims[1], dims[0]}; }
}
