package io.github.knetj.opencl;

import io.github.knetj.api.Conv2d;
import io.github.knetj.api.Convolution;
import io.github.knetj.api.DType;
import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.opencl.ClLinalg.Operand;
import org.jocl.cl_mem;

/**
 * Convolution as im2col + matrix products, so it runs on the device's matmul family (tiles on GPUs, packed
 * panels and register tiles on CPUs); transposes are stride swaps. With P = Ho·Wo and K = C·kh·kw: forward and
 * backward-input are batched products per image, backward-weight one product whose inner dimension is N·P (on CPUs,
 * the column matrix written straight into the product's panels, and the images split into groups when the output
 * has too few tiles to share between the cores). col2im adds whole column rows onto an image plane.
 * Pooling is one kernel per output (forward) or per input cell (backward, a gather: no atomics), except 2×2 windows
 * at stride 2 on CPUs: a row of outputs per work-item, forward and backward.
 */
final class ClConvolution extends ClOps implements Convolution {
    ClConvolution(OpenClBackend backend) { super(backend); }

    @Override public Tensor conv2d(Tensor x, Tensor w, Conv2d spec) { return conv2d(x, w, null, spec); }

    /**
     * conv2d plus a bias b (1, O, 1, 1), or null; a bias is added by the product as it stores each output channel's row
     * ({@link ClLinalg#addsBias} must hold), instead of by a broadcast add over the whole output.
     */
    Tensor conv2d(Tensor x, Tensor w, Tensor b, Conv2d spec) {
        DType d = b == null ? check("conv2d", x, w) : check("conv2d", x, w, b);
        Shape ys = spec.outputShape(x.shape(), w.shape());
        Geometry g = new Geometry(x.shape(), w.shape(), ys, spec);
        ClTensor y = alloc(ys, d);
        // cols (N, K, P); y[n] (O, P) = w (O, K) · cols[n], one batched product writing y in place.
        BufferPool.Storage cols = im2col(d, t(x), g, g.k * g.p, g.p);
        backend.gemm().gemm(d, g.n, g.o, g.p, g.k, new Operand(t(w).mem(), 0, 0, g.k, 1), new Operand(cols.mem, 0, g.k * g.p, g.p, 1),
                y.mem(), 0, g.o * g.p, b == null ? null : new ClLinalg.Bias(t(b).mem(), true));
        release(cols);
        return y;
    }

    @Override public Tensor conv2dBackwardInput(Tensor dy, Tensor w, Shape xShape, Conv2d spec) {
        DType d = check("conv2dBackwardInput", dy, w);
        Shape ys = spec.outputShape(xShape, w.shape());
        expect("conv2dBackwardInput", dy.shape(), ys, xShape, w.shape());
        Geometry g = new Geometry(xShape, w.shape(), ys, spec);
        // dcols[n] (K, P) = wᵀ (K, O) · dy[n] (O, P), then col2im sums the columns back onto the image.
        BufferPool.Storage dcols = temp((long) g.n * g.k * g.p, d.bytes());
        backend.gemm().gemm(d, g.n, g.k, g.p, g.o, new Operand(t(w).mem(), 0, 0, 1, g.k), new Operand(t(dy).mem(), 0, g.o * g.p, g.p, 1),
                dcols.mem, 0, g.k * g.p);
        ClTensor dx = alloc(xShape, d);
        cl.launch(d, "conv.cl", "col2im", new long[] {g.c, g.n}, null, dcols.mem, dx, g.dims(), g.steps(), g.k * g.p, g.p);
        release(dcols);
        return dx;
    }

    @Override public Tensor conv2dBackwardWeight(Tensor x, Tensor dy, Shape wShape, Conv2d spec) {
        DType d = check("conv2dBackwardWeight", x, dy);
        Shape ys = spec.outputShape(x.shape(), wShape);
        expect("conv2dBackwardWeight", dy.shape(), ys, x.shape(), wShape);
        Geometry g = new Geometry(x.shape(), wShape, ys, spec);
        if (backend.family() == OpenClBackend.Family.CPU_VECTOR) return weightGradientOnPanels(d, t(x), t(dy), wShape, g);
        // dw (O, K) = dy as (O, N·P) · colsᵀ, with cols laid out (K, N·P): the whole batch is the inner dimension.
        BufferPool.Storage cols = im2col(d, t(x), g, g.p, g.np);
        BufferPool.Storage dyt = null;
        cl_mem dyOnp = t(dy).mem();
        if (g.n > 1) {
            dyt = temp((long) g.o * g.np, d.bytes());
            backend.layoutKernels().gather("conv2dBackwardWeight", d, dyOnp, 0, dyt.mem, new int[] {g.o, g.n, g.p}, new int[] {g.p, g.o * g.p, 1});
            dyOnp = dyt.mem;
        }
        // dwᵀ (K, O) = cols (K, N·P) · dyᵀ, then one small transpose: the product packs the O columns of dyᵀ into
        // panels, where dw = dy · colsᵀ packed all K columns of colsᵀ, each gathered N·P apart (LeNet's conv2: 3.2 M
        // values a step against 0.3 M).
        ClTensor dw = alloc(wShape, d);
        BufferPool.Storage dwt = temp((long) g.k * g.o, d.bytes());
        backend.gemm().gemm(d, 1, g.k, g.o, g.np, new Operand(cols.mem, 0, 0, g.np, 1), new Operand(dyOnp, 0, 0, 1, g.np), dwt.mem, 0, 0);
        backend.layoutKernels().gather("conv2dBackwardWeight", d, dwt.mem, 0, dw.mem(), new int[] {g.o, g.k}, new int[] {1, g.o});
        release(dwt);
        release(cols);
        if (dyt != null) release(dyt);
        return dw;
    }

    /**
     * dw (O, K) = dy (O, N·P) · colsᵀ on the CPU kernel: dy is read where it lies, as runs of P values O·P apart, and
     * the column matrix is written straight into the product's panels. Few output tiles (LeNet's conv1 has 8) would
     * leave a core idle, so the images are split into groups, each group's product a partial sum, added in order.
     */
    private Tensor weightGradientOnPanels(DType d, ClTensor x, ClTensor dy, Shape wShape, Geometry g) {
        int panels = (g.k + ClLinalg.VECTOR - 1) / ClLinalg.VECTOR, tiles = ClLinalg.tiles(g.o, g.k);
        int groups = 1;
        while (tiles * groups < 64 && groups < g.n) {
            groups++;
            while (g.n % groups != 0) groups++;
        }
        int images = g.n / groups;
        BufferPool.Storage cols = temp((long) panels * ClLinalg.VECTOR * g.np, d.bytes());
        if (g.valid()) cl.launch(d, "conv.cl", "im2col_panels_valid", new long[] {panels, g.n}, null, x, cols.mem, g.dims());
        else cl.launch(d, "conv.cl", "im2col_panels", new long[] {g.ho, panels, g.n}, null, x, cols.mem, g.dims(), g.steps());
        ClTensor dw = alloc(wShape, d);
        BufferPool.Storage parts = groups == 1 ? null : temp((long) groups * g.o * g.k, d.bytes());
        cl_mem out = parts == null ? dw.mem() : parts.mem;
        ClLinalg.Operand a = new ClLinalg.Operand(dy.mem(), 0, images * g.o * g.p, g.p, 1).inRuns(g.p, g.o * g.p);
        backend.gemm().multiply(d, groups, g.o, g.k, images * g.p, a, cols.mem, 0, images * g.p * ClLinalg.VECTOR,
                g.np * ClLinalg.VECTOR, ClLinalg.VECTOR, out, 0, g.o * g.k);
        if (parts != null) {
            cl.launch1(d, "conv.cl", "sum_partials", (long) g.o * g.k, parts.mem, dw, g.o * g.k, groups);
            release(parts);
        }
        release(cols);
        return dw;
    }

    @Override public Tensor maxPool2d(Tensor x, Pool2d spec) {
        DType d = check("maxPool2d", x);
        ClTensor y = alloc(spec.outputShape(x.shape()), d);
        if (y.n() == 0) return y;
        Shape s = x.shape(), ys = y.shape();
        if (twoByTwo(spec) && rowsPerWorkItem())
            cl.launch(d, "pool.cl", "max_pool_2x2", new long[] {ys.dim(2), (long) s.dim(0) * s.dim(1)}, null,
                    x, y, s.dim(2), s.dim(3), ys.dim(2), ys.dim(3));
        else cl.launch1(d, "pool.cl", "max_pool", y.n(), x, y, y.n(), poolDims(x.shape(), y.shape()), poolSteps(spec));
        return y;
    }

    @Override public Tensor maxPool2dBackward(Tensor dy, Tensor x, Pool2d spec) {
        DType d = check("maxPool2dBackward", dy, x);
        Shape ys = spec.outputShape(x.shape());
        expect("maxPool2dBackward", dy.shape(), ys, x.shape(), null);
        ClTensor dx = alloc(x.shape(), d);
        if (dx.n() == 0) return dx;
        if (twoByTwo(spec) && rowsPerWorkItem() && x.shape().dim(2) == 2 * ys.dim(2) && x.shape().dim(3) == 2 * ys.dim(3)) {
            cl.launch(d, "pool.cl", "max_pool_2x2_backward", new long[] {ys.dim(2), (long) ys.dim(0) * ys.dim(1)}, null,
                    dy, x, dx, x.shape().dim(2), x.shape().dim(3), ys.dim(2), ys.dim(3));
        } else if (spec.strideH() >= spec.windowH() && spec.strideW() >= spec.windowW()) {
            cl.launch1(d, "memory.cl", "fill", dx.n(), dx, dx.n(), 0.0);
            cl.launch1(d, "pool.cl", "max_pool_backward_disjoint", dy.size(), dy, x, dx, (int) dy.size(), poolDims(x.shape(), ys), poolSteps(spec));
        } else {
            cl.launch1(d, "pool.cl", "max_pool_backward", dx.n(), dy, x, dx, dx.n(), poolDims(x.shape(), ys), poolSteps(spec));
        }
        return dx;
    }

    public Tensor avgPool2d(Tensor x, Pool2d spec) {
        DType d = check("avgPool2d", x);
        ClTensor y = alloc(spec.outputShape(x.shape()), d);
        cl.launch1(d, "pool.cl", "avg_pool", y.n(), x, y, y.n(), poolDims(x.shape(), y.shape()), poolSteps(spec));
        return y;
    }

    public Tensor avgPool2dBackward(Tensor dy, Shape xShape, Pool2d spec) {
        DType d = check("avgPool2dBackward", dy);
        Shape ys = spec.outputShape(xShape);
        expect("avgPool2dBackward", dy.shape(), ys, xShape, null);
        ClTensor dx = alloc(xShape, d);
        cl.launch1(d, "pool.cl", "avg_pool_backward", dx.n(), dy, dx, dx.n(), poolDims(xShape, ys), poolSteps(spec));
        return dx;
    }

    /** The sizes of one convolution, named as in the kernels. */
    private record Geometry(int n, int c, int h, int w, int o, int kh, int kw, int ho, int wo, Conv2d s, int p, int np, int k) {
        Geometry(Shape x, Shape w, Shape y, Conv2d s) {
            this(x.dim(0), x.dim(1), x.dim(2), x.dim(3), w.dim(0), w.dim(2), w.dim(3), y.dim(2), y.dim(3), s,
                    y.dim(2) * y.dim(3), x.dim(0) * y.dim(2) * y.dim(3), x.dim(1) * w.dim(2) * w.dim(3));
        }

        int[] dims() { return new int[] {n, c, h, w, kh, kw, ho, wo}; }

        /** Stride 1, no padding, no dilation: every column entry lies inside the image. */
        boolean valid() {
            return s.strideH() == 1 && s.strideW() == 1 && s.padH() == 0 && s.padW() == 0 && s.dilationH() == 1 && s.dilationW() == 1;
        }

        int[] steps() { return new int[] {s.strideH(), s.strideW(), s.padH(), s.padW(), s.dilationH(), s.dilationW(), 0, 0}; }
    }

    /** The column matrix of x, entry (n, row, p) at n·colsN + row·colsK + p. */
    private BufferPool.Storage im2col(DType d, ClTensor x, Geometry g, int colsN, int colsK) {
        long total = (long) g.k * g.np;
        if (total > Integer.MAX_VALUE) throw new IllegalArgumentException("conv2d: column matrix of " + total + " elements is too large for x " + x.shape());
        BufferPool.Storage cols = temp(total, d.bytes());
        if (g.valid()) cl.launch(d, "conv.cl", "im2col_valid", new long[] {g.k, g.n}, null, x, cols.mem, g.dims(), colsN, colsK);
        else cl.launch(d, "conv.cl", "im2col", new long[] {g.k, g.n}, null, x, cols.mem, g.dims(), g.steps(), colsN, colsK);
        return cols;
    }

    /**
     * Whether the 2×2 pooling kernels, a row of outputs per work-item, suit the device: a CPU's; a GPU runs the general
     * kernels, a cell per work-item, whose neighbouring work-items read neighbouring floats.
     */
    private boolean rowsPerWorkItem() { return backend.family() == OpenClBackend.Family.CPU_VECTOR; }

    /** 2×2 windows at stride 2 without padding (pool.cl's max_pool_2x2). */
    private static boolean twoByTwo(Pool2d s) {
        return s.windowH() == 2 && s.windowW() == 2 && s.strideH() == 2 && s.strideW() == 2 && s.padH() == 0 && s.padW() == 0;
    }

    private static int[] poolDims(Shape x, Shape y) {
        return new int[] {x.dim(0) * x.dim(1), x.dim(2), x.dim(3), y.dim(2), y.dim(3), 0, 0, 0};
    }

    private static int[] poolSteps(Pool2d s) {
        return new int[] {s.windowH(), s.windowW(), s.strideH(), s.strideW(), s.padH(), s.padW(), s.countIncludePad() ? 1 : 0, 0};
    }

    /** A gradient's shape must be the forward output's shape; the error names the op and every shape involved. */
    private static void expect(String op, Shape got, Shape expected, Shape xShape, Shape wShape) {
        if (!got.equals(expected))
            throw new IllegalArgumentException(op + ": dy has shape " + got + ", expected " + expected + " for x " + xShape
                    + (wShape == null ? "" : " and w " + wShape));
    }
}
