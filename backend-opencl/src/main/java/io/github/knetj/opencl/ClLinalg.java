package io.github.knetj.opencl;

import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.Linalg;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import org.jocl.cl_mem;

/**
 * Matrix products. The kernels multiply plain row-major matrices, so a transposed operand is first copied
 * transposed (O(n²) against the product's O(n³)). {@link #gemm} picks the kernel family of the device: 16×16
 * local-memory tiles on GPUs; on CPUs, B packed into 8-column panels and a register tile of ROWS rows × 8 columns
 * (real8 accumulators) per work-item, consecutive work-items sharing one panel while it is in cache.
 */
final class ClLinalg extends ClOps implements Linalg {
    /** Rows of the CPU kernel's register tile; {@code -Dknetj.opencl.rows} tunes it for a device (compiled in as ROWS). */
    static final int ROWS = Integer.getInteger("knetj.opencl.rows", 4);
    private static final int TILE = 16, VECTOR = 8;

    ClLinalg(OpenClBackend backend) { super(backend); }

    @Override public Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        DType d = check("matmul", a, b);
        Shape out = Checks.matmul(a.shape(), b.shape(), transA, transB);
        int batches = out.rank() == 3 ? out.dim(0) : 1, m = out.dim(-2), n = out.dim(-1);
        int k = transA ? a.shape().dim(-2) : a.shape().dim(-1);
        ClTensor y = alloc(out, d);
        BufferPool.Storage ta = transA ? transposed(d, t(a)) : null, tb = transB ? transposed(d, t(b)) : null;
        cl_mem am = ta != null ? ta.mem : t(a).mem(), bm = tb != null ? tb.mem : t(b).mem();
        int aBatch = a.rank() == 3 ? m * k : 0, bBatch = b.rank() == 3 ? k * n : 0;   // a 2-D b is shared by every batch
        gemm(d, batches, m, n, k, am, 0, aBatch, bm, 0, bBatch, y.mem(), 0, m * n);
        if (ta != null) release(ta);
        if (tb != null) release(tb);
        return y;
    }

    @Override public Tensor linear(Tensor x, Tensor w, Tensor b) {
        check("linear", b == null ? new Tensor[] {x, w} : new Tensor[] {x, w, b});
        if (x.rank() != 2 || w.rank() != 2 || x.shape().dim(1) != w.shape().dim(1) || (b != null && !b.shape().equals(Shape.of(w.shape().dim(0)))))
            throw new IllegalArgumentException("linear: expected x (N, in), w (out, in) and b (out) or null, got x " + x.shape()
                    + ", w " + w.shape() + (b == null ? ", no b" : ", b " + b.shape()) + " " + x.dtype());
        return Linalg.super.linear(x, w, b);
    }

    /**
     * C = A·B for {@code batches} row-major matrices A (m,k), B (k,n), C (m,n) at the given offsets and batch strides
     * (elements; 0 shares an operand across the batch). Queued, not waited for.
     */
    void gemm(DType d, int batches, int m, int n, int k, cl_mem a, int aOff, int aBatch, cl_mem b, int bOff, int bBatch,
              cl_mem c, int cOff, int cBatch) {
        if (m == 0 || n == 0 || batches == 0) return;
        if (backend.family() == OpenClBackend.Family.GPU_TILED) {
            long[] global = {roundUp(n, TILE), roundUp(m, TILE), batches};
            cl.launch(d, "matmul_gpu.cl", "matmul_tiled", global, new long[] {TILE, TILE, 1},
                    a, aOff, aBatch, b, bOff, bBatch, c, cOff, cBatch, m, n, k);
        } else {
            // Pack B into zero-padded panels of 8 columns (one packing when B is shared by the batch), then multiply.
            int panels = (n + VECTOR - 1) / VECTOR, panelElems = panels * VECTOR * k, packs = bBatch == 0 ? 1 : batches;
            BufferPool.Storage packed = temp((long) panelElems * packs, d.bytes());
            int total = panelElems * packs;
            cl.launch1(d, "matmul_cpu.cl", "pack_panels", total, b, bOff, bBatch, packed.mem, k, n, panelElems, total);
            long[] global = {(m + ROWS - 1) / ROWS, panels, batches};
            cl.launch(d, "matmul_cpu.cl", "matmul_cpu", global, null, a, aOff, aBatch, packed.mem, bBatch == 0 ? 0 : panelElems,
                    c, cOff, cBatch, m, n, k);
            release(packed);
        }
    }

    /** A temporary holding x with its last two axes swapped (batch axis kept). */
    private BufferPool.Storage transposed(DType d, ClTensor x) {
        Shape s = x.shape();
        int rows = s.dim(-2), cols = s.dim(-1);
        BufferPool.Storage out = temp(x.size(), d.bytes());
        int[] dims = s.rank() == 3 ? new int[] {s.dim(0), cols, rows} : new int[] {cols, rows};
        int[] strides = s.rank() == 3 ? new int[] {rows * cols, 1, cols} : new int[] {1, cols};
        backend.layoutKernels().gather("matmul", d, x.mem(), 0, out.mem, dims, strides);
        return out;
    }

    private static long roundUp(long v, int to) { return (v + to - 1) / to * to; }
}
