package io.github.knetj.opencl;

import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.Linalg;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import org.jocl.cl_mem;

/**
 * Matrix products. The kernels read both operands through row and column strides, so a transpose costs nothing:
 * it swaps the strides. {@link #gemm} picks the kernel family of the device: 16×16 local-memory tiles on GPUs; on
 * CPUs, B packed into zero-padded 16-column panels and a register tile of ROWS rows × two panels (2·ROWS real16
 * accumulators) per work-item, consecutive work-items sharing the same panels while they are in cache.
 */
final class ClLinalg extends ClOps implements Linalg {
    /**
     * Rows of the CPU kernel's register tile; {@code -Dknetj.opencl.rows} tunes it for a device (compiled in as ROWS).
     * With one 16-column panel a work-item, on PoCL on the 2-core Zen 5, a LeNet epoch took 6.6–6.8 s with 6 rows,
     * 7.1 with 8, 7.8–8.2 with 4 and 7.9–8.5 with 12; with two panels (ten accumulators, enough to cover both FMA
     * pipes' latency) 6.2–6.4 with 5 and 6.6–6.7 with 6.
     */
    static final int ROWS = Integer.getInteger("knetj.opencl.rows", 5);
    private static final int TILE = 16;
    /** Columns of the CPU kernel's panels (one real16). */
    static final int VECTOR = 16;

    /**
     * One operand of a product: element (i, p) of matrix b of the batch is {@code mem[offset + b·batch + i·row + p·col]}.
     * A batch stride of 0 shares the matrix across the batch.
     */
    record Operand(cl_mem mem, int offset, int batch, int row, int col, int run, int jump) {
        Operand(cl_mem mem, int offset, int batch, int row, int col) { this(mem, offset, batch, row, col, 0, 0); }

        /**
         * A's inner index in runs (CPU kernels only): element (i, p) at {@code offset + i·row + (p / run)·jump +
         * (p % run)·col}, as a convolution's gradient (N, O, P) is the (O, N·P) matrix of the weight gradient.
         */
        Operand inRuns(int run, int jump) { return new Operand(mem, offset, batch, row, col, run, jump); }

        /** A row-major (rows, cols) matrix, or its transpose when {@code transposed}. */
        static Operand of(cl_mem mem, int offset, int batch, int rows, int cols, boolean transposed) {
            return transposed ? new Operand(mem, offset, batch, 1, cols) : new Operand(mem, offset, batch, cols, 1);
        }
    }

    ClLinalg(OpenClBackend backend) { super(backend); }

    @Override public Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        DType d = check("matmul", a, b);
        Shape out = Checks.matmul(a.shape(), b.shape(), transA, transB);
        int batches = out.rank() == 3 ? out.dim(0) : 1, m = out.dim(-2), n = out.dim(-1);
        int k = transA ? a.shape().dim(-2) : a.shape().dim(-1);
        int aRows = a.shape().dim(-2), aCols = a.shape().dim(-1), bRows = b.shape().dim(-2), bCols = b.shape().dim(-1);
        ClTensor y = alloc(out, d);
        // A 2-D b is shared by every batch (batch stride 0).
        Operand op1 = Operand.of(t(a).mem(), 0, a.rank() == 3 ? aRows * aCols : 0, aRows, aCols, transA);
        Operand op2 = Operand.of(t(b).mem(), 0, b.rank() == 3 ? bRows * bCols : 0, bRows, bCols, transB);
        gemm(d, batches, m, n, k, op1, op2, y.mem(), 0, m * n);
        return y;
    }

    /** C = A·B for {@code batches} products A (m,k)·B (k,n) into row-major C (m,n) at cOff + b·cBatch. Queued, not waited for. */
    void gemm(DType d, int batches, int m, int n, int k, Operand a, Operand b, cl_mem c, int cOff, int cBatch) {
        gemm(d, batches, m, n, k, a, b, c, cOff, cBatch, null);
    }

    /** Where the product adds a bias as it stores C (CPU devices): one value per row of C, or per column. */
    record Bias(cl_mem mem, boolean perRow) {
        int mode() { return perRow ? 1 : 2; }
    }

    /** Whether {@link #gemm} can add a {@link Bias} as it stores C: the CPU kernel can, the GPU one does not. */
    boolean addsBias() { return backend.family() != OpenClBackend.Family.GPU_TILED; }

    /** As above, plus {@code bias} (or null) added to every product as it is stored; only where {@link #addsBias}. */
    void gemm(DType d, int batches, int m, int n, int k, Operand a, Operand b, cl_mem c, int cOff, int cBatch, Bias bias) {
        if (m == 0 || n == 0 || batches == 0) return;
        if (bias != null && !addsBias()) throw new IllegalStateException("matmul: the tiled GPU kernel adds no bias");
        if (backend.family() == OpenClBackend.Family.GPU_TILED) {
            if (a.run() != 0) throw new IllegalStateException("matmul: A in runs is a CPU-kernel layout, not the tiled kernel's");
            long[] global = {roundUp(n, TILE), roundUp(m, TILE), batches};
            cl.launch(d, "matmul_gpu.cl", "matmul_tiled", global, new long[] {TILE, TILE, 1},
                    a.mem, a.offset, a.batch, a.row, a.col, b.mem, b.offset, b.batch, b.row, b.col, c, cOff, cBatch, m, n, k);
        } else {
            if (readsInPlace(b, n)) {
                multiply(d, batches, m, n, k, a, b.mem, b.offset, b.batch, VECTOR, b.row, c, cOff, cBatch, bias);
                return;
            }
            // Pack B into zero-padded panels of 16 columns (one packing when B is shared by the batch), then multiply.
            int panels = (n + VECTOR - 1) / VECTOR, panelElems = panels * VECTOR * k, packs = b.batch == 0 ? 1 : batches;
            BufferPool.Storage packed = temp((long) panelElems * packs, d.bytes());
            cl.launch(d, "matmul_cpu.cl", "pack_panels", new long[] {roundUp(k, 8), panels, packs}, null,
                    b.mem, b.offset, b.batch, b.row, b.col, packed.mem, k, n);
            multiply(d, batches, m, n, k, a, packed.mem, 0, b.batch == 0 ? 0 : panelElems, VECTOR * k, VECTOR, c, cOff, cBatch, bias);
            release(packed);
        }
    }

    /**
     * The CPU kernel on B already in panels: step p of panel j of product bt at {@code panels + pOff + bt·pBatch +
     * j·pPanel + p·pStep}, 16 contiguous values. Queued, not waited for.
     */
    void multiply(DType d, int batches, int m, int n, int k, Operand a, cl_mem panels, int pOff, int pBatch, int pPanel, int pStep,
                  cl_mem c, int cOff, int cBatch) {
        multiply(d, batches, m, n, k, a, panels, pOff, pBatch, pPanel, pStep, c, cOff, cBatch, null);
    }

    private void multiply(DType d, int batches, int m, int n, int k, Operand a, cl_mem panels, int pOff, int pBatch, int pPanel, int pStep,
                          cl_mem c, int cOff, int cBatch, Bias bias) {
        long[] global = {(m + ROWS - 1) / ROWS, (n + 2 * VECTOR - 1) / (2 * VECTOR), batches};
        int run = a.run() == 0 ? k : a.run();
        // Without a bias the kernel's bias argument is C itself, never read.
        cl.launch(d, "matmul_cpu.cl", "matmul_cpu", global, null, a.mem, a.offset, a.batch, a.row, a.col, run, a.jump(),
                panels, pOff, pBatch, pPanel, pStep, c, cOff, cBatch, m, n, k, bias == null ? c : bias.mem(), bias == null ? 0 : bias.mode());
    }

    /** y = x·wᵀ + b (CPU devices: the bias added as the product stores y), for {@link ClFused#linear}. */
    Tensor linear(Tensor x, Tensor w, Tensor b) {
        Checks.linear(x, w, b);
        DType d = check("linear", x, w, b);
        Shape out = Checks.matmul(x.shape(), w.shape(), false, true);
        int m = out.dim(-2), n = out.dim(-1), k = x.shape().dim(-1);
        ClTensor y = alloc(out, d);
        gemm(d, 1, m, n, k, Operand.of(t(x).mem(), 0, 0, m, k, false), Operand.of(t(w).mem(), 0, 0, n, k, true), y.mem(), 0, 0,
                new Bias(t(b).mem(), false));
        return y;
    }

    /** How many work-items (ROWS × 2 panels of output) {@link #multiply} runs for one m × n product. */
    static int tiles(int m, int n) { return (m + ROWS - 1) / ROWS * ((n + 2 * VECTOR - 1) / (2 * VECTOR)); }

    /**
     * Whether the product reads B's panels where they lie: row-major, whole panels (n a multiple of 16), and rows not
     * a multiple of 4 KB apart, where k steps of one panel would share a handful of cache sets.
     */
    private static boolean readsInPlace(Operand b, int n) {
        return b.col() == 1 && n % VECTOR == 0 && b.row() % 1024 != 0;
    }

    private static long roundUp(long v, int to) { return (v + to - 1) / to * to; }
}
