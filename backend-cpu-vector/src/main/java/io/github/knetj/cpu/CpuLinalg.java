package io.github.knetj.cpu;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.HostTensor;
import io.github.knetj.api.Linalg;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.cpu.fast.Parallel;

/**
 * Matrix products on the {@link Gemm} kernel. A 3-D·2-D product without a transpose of the 3-D operand is one
 * (B·m, k)·(k, n) product; other batched products run the kernel per batch, in parallel across batches when each
 * product is small and inside each product when it is large.
 */
final class CpuLinalg implements Linalg {
    /** Multiply-adds per product above which one product is worth all threads. */
    private static final long LARGE = 1L << 21;
    private final Backend backend;
    private final Gemm gemm;

    CpuLinalg(Backend backend, Gemm gemm) {
        this.backend = backend;
        this.gemm = gemm;
    }

    @Override public Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        DType d = Host.check("matmul", backend, a, b);
        Shape out = Checks.matmul(a.shape(), b.shape(), transA, transB);
        int batches = out.rank() == 3 ? out.dim(0) : 1;
        int m = out.dim(-2), n = out.dim(-1), k = transA ? a.shape().dim(-2) : a.shape().dim(-1);
        int lda = a.shape().dim(-1), ldb = b.shape().dim(-1);
        int aStride = a.rank() == 3 ? a.shape().dim(-2) * lda : 0;
        int bStride = b.rank() == 3 ? b.shape().dim(-2) * ldb : 0;   // a 2-D b is shared by every batch
        HostTensor ha = Host.host(a), hb = Host.host(b), y = Host.uncleared(backend, out, d);   // every product overwrites its block
        if (batches == 1 || (bStride == 0 && !transA)) {
            // Consecutive (m, k) matrices of a are the rows of one (B·m, k) matrix.
            product(transA, transB, batches * m, n, k, ha, 0, lda, hb, 0, ldb, y, 0, true);
            return y;
        }
        if ((long) m * n * k >= LARGE) {
            for (int s = 0; s < batches; s++) product(transA, transB, m, n, k, ha, s * aStride, lda, hb, s * bStride, ldb, y, s * m * n, true);
        } else {
            Parallel.forRange(batches, Host.grain((long) m * n * k), (s0, s1) -> {
                for (int s = s0; s < s1; s++) product(transA, transB, m, n, k, ha, s * aStride, lda, hb, s * bStride, ldb, y, s * m * n, false);
            });
        }
        return y;
    }

    /**
     * y = x wᵀ + b for float32 x (N, in), w (out, in), b (out) or null: one product whose tiles get the bias as they are
     * stored ({@link Gemm#gemmInto(boolean, boolean, int, int, int, float[], int, int, float[], int, int, float[], int, int, float[], boolean)});
     * null for float64, which the composed default handles.
     */
    Tensor linear(Tensor x, Tensor w, Tensor b) {
        Checks.linear(x, w, b);
        DType d = Host.check("linear", backend, b == null ? new Tensor[] {x, w} : new Tensor[] {x, w, b});
        if (d != DType.FLOAT32) return null;
        int n = x.shape().dim(0), in = x.shape().dim(1), out = w.shape().dim(0);
        HostTensor y = Host.uncleared(backend, Shape.of(n, out), d);
        float[] xf = Host.host(x).floats(), wf = Host.host(w).floats();
        if (b == null) gemm.gemmInto(false, true, n, out, in, xf, 0, in, wf, 0, in, y.floats(), 0, out, true);
        else gemm.gemmInto(false, true, n, out, in, xf, 0, in, wf, 0, in, y.floats(), 0, out, Host.host(b).floats(), true);
        return y;
    }

    private void product(boolean ta, boolean tb, int m, int n, int k, HostTensor a, int ao, int lda, HostTensor b, int bo, int ldb,
                         HostTensor c, int co, boolean parallel) {
        if (c.floats() != null) gemm.gemmInto(ta, tb, m, n, k, a.floats(), ao, lda, b.floats(), bo, ldb, c.floats(), co, n, parallel);
        else gemm.gemmInto(ta, tb, m, n, k, a.doubles(), ao, lda, b.doubles(), bo, ldb, c.doubles(), co, n, parallel);
    }
}
