package io.github.knetj.cuda;

import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.Linalg;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import jcuda.driver.CUdeviceptr;

/**
 * Matrix products on the register-tiled GEMM of {@code matmul.cu}. {@link #gemm} is also the engine of the im2col
 * convolution: it takes raw pointers, leading dimensions and batch strides (stride 0 shares an operand).
 */
final class CudaLinalg implements Linalg {
    private static final int MAX_GRID_YZ = 65535;
    private final CudaBackend backend;

    CudaLinalg(CudaBackend backend) { this.backend = backend; }

    @Override public Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        DType d = backend.check("matmul", a, b);
        Shape out = Checks.matmul(a.shape(), b.shape(), transA, transB);
        int batch = a.rank() == 3 ? a.shape().dim(0) : 1;
        int m = out.dim(-2), n = out.dim(-1), k = transA ? a.shape().dim(-2) : a.shape().dim(-1);
        long strideA = a.rank() == 3 ? (long) a.shape().dim(1) * a.shape().dim(2) : 0;
        long strideB = b.rank() == 3 ? (long) b.shape().dim(1) * b.shape().dim(2) : 0;
        CudaTensor y = backend.empty(out, d);
        gemm(d, batch, m, n, k, transA, CudaBackend.dev(a).ptr(), a.shape().dim(-1), strideA,
                transB, CudaBackend.dev(b).ptr(), b.shape().dim(-1), strideB, y.ptr(), (long) m * n);
        return y;
    }

    /**
     * Queues C[i] = op(A[i])·op(B[i]) for i < batch, all row-major: A is stored (m, k) or, transposed, (k, m) with
     * row length lda; B is (k, n) or (n, k) with row length ldb; C is (m, n). Strides count elements.
     */
    void gemm(DType d, int batch, int m, int n, int k, boolean transA, CUdeviceptr a, int lda, long strideA,
              boolean transB, CUdeviceptr b, int ldb, long strideB, CUdeviceptr c, long strideC) {
        if (batch == 0 || m == 0 || n == 0) return;
        int tile = d == DType.FLOAT32 ? 128 : 64;
        int gridX = (n + tile - 1) / tile, gridY = (m + tile - 1) / tile;
        if (gridY > MAX_GRID_YZ)
            throw new UnsupportedOperationException("cuda matmul: " + m + " rows exceed the " + (long) MAX_GRID_YZ * tile + " one launch covers (" + d + ")");
        long bytes = d.bytes();
        // The grid's z axis is the batch; batches beyond its limit go in further launches.
        for (int b0 = 0; b0 < batch; b0 += MAX_GRID_YZ) {
            int nb = Math.min(MAX_GRID_YZ, batch - b0);
            backend.cuda().launchGrid(Kernel.GEMM, d, gridX, gridY, nb, CudaContext.THREADS,
                    m, n, k, transA ? 1 : 0, transB ? 1 : 0,
                    a.withByteOffset(b0 * strideA * bytes), lda, strideA,
                    b.withByteOffset(b0 * strideB * bytes), ldb, strideB,
                    c.withByteOffset(b0 * strideC * bytes), strideC);
        }
    }
}
