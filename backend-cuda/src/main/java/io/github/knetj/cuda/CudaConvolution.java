package io.github.knetj.cuda;

import io.github.knetj.api.Conv2d;
import io.github.knetj.api.Convolution;
import io.github.knetj.api.DType;
import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;

/**
 * conv2d as im2col + one GEMM for the whole batch, and its two backward passes as GEMMs on the same column matrix
 * (C·kh·kw, N·Ho·Wo); pooling by direct kernels. The GEMM's output is (O, N, Ho·Wo); a gather turns it into NCHW.
 * Temporaries are released as soon as the kernels that read them are queued: the one stream keeps the order.
 */
final class CudaConvolution implements Convolution {
    private final CudaBackend backend;

    CudaConvolution(CudaBackend backend) { this.backend = backend; }

    /** The ConvGeom struct of common.cuh for x (N,C,H,W), w (O,C,kh,kw). */
    private static int[] geometry(Shape x, Shape w, Shape y, Conv2d s) {
        return new int[] {x.dim(0), x.dim(1), x.dim(2), x.dim(3), w.dim(2), w.dim(3), s.strideH(), s.strideW(),
                s.padH(), s.padW(), s.dilationH(), s.dilationW(), y.dim(2), y.dim(3)};
    }

    private CudaTensor im2col(Tensor x, Shape w, Shape y, Conv2d spec) {
        long rows = (long) x.shape().dim(1) * w.dim(2) * w.dim(3), cols = (long) x.shape().dim(0) * y.dim(2) * y.dim(3);
        CudaTensor c = backend.empty(Shape.of((int) rows, (int) cols), x.dtype());
        backend.cuda().launch(Kernel.IM2COL, x.dtype(), c.n(), geometry(x.shape(), w, y, spec), CudaBackend.dev(x).ptr(), c.ptr());
        return c;
    }

    /** dy (N, O, P) as (O, N·P), the layout the GEMMs need. */
    private CudaTensor channelsFirst(Tensor dy) {
        int n = dy.shape().dim(0), o = dy.shape().dim(1), p = dy.shape().dim(2) * dy.shape().dim(3);
        CudaTensor t = backend.empty(Shape.of(o, n * p), dy.dtype());
        int[] walk = Strided.of("conv2d", new int[] {o, n, p}, new int[] {p, o * p, 1}, 0);
        backend.cuda().launch(Kernel.GATHER, dy.dtype(), t.n(), t.n(), walk, CudaBackend.dev(dy).ptr(), t.ptr());
        return t;
    }

    @Override public Tensor conv2d(Tensor x, Tensor w, Conv2d spec) {
        DType d = backend.check("conv2d", x, w);
        Shape ys = spec.outputShape(x.shape(), w.shape());
        int n = ys.dim(0), o = ys.dim(1), p = ys.dim(2) * ys.dim(3), ckk = w.shape().dim(1) * w.shape().dim(2) * w.shape().dim(3);
        try (CudaTensor cols = im2col(x, w.shape(), ys, spec); CudaTensor yt = backend.empty(Shape.of(o, n * p), d)) {
            backend.gemm().gemm(d, 1, o, n * p, ckk, false, CudaBackend.dev(w).ptr(), ckk, 0, false, cols.ptr(), n * p, 0, yt.ptr(), 0);
            CudaTensor y = backend.empty(ys, d);
            int[] walk = Strided.of("conv2d", new int[] {n, o, p}, new int[] {p, n * p, 1}, 0);
            backend.cuda().launch(Kernel.GATHER, d, y.n(), y.n(), walk, yt.ptr(), y.ptr());
            return y;
        }
    }

    private static void expectDy(String op, Tensor dy, Shape expected, Shape xShape, Shape wShape) {
        if (!dy.shape().equals(expected))
            throw new IllegalArgumentException(op + ": dy " + dy.shape() + " " + dy.dtype() + " does not match the output " + expected
                    + " of x " + xShape + (wShape == null ? "" : " and w " + wShape));
    }

    @Override public Tensor conv2dBackwardInput(Tensor dy, Tensor w, Shape xShape, Conv2d spec) {
        DType d = backend.check("conv2dBackwardInput", dy, w);
        Shape ys = spec.outputShape(xShape, w.shape());
        expectDy("conv2dBackwardInput", dy, ys, xShape, w.shape());
        int np = ys.dim(0) * ys.dim(2) * ys.dim(3), o = ys.dim(1), ckk = w.shape().dim(1) * w.shape().dim(2) * w.shape().dim(3);
        try (CudaTensor dyt = channelsFirst(dy); CudaTensor dcols = backend.empty(Shape.of(ckk, np), d)) {
            backend.gemm().gemm(d, 1, ckk, np, o, true, CudaBackend.dev(w).ptr(), ckk, 0, false, dyt.ptr(), np, 0, dcols.ptr(), 0);
            CudaTensor dx = backend.empty(xShape, d);
            backend.cuda().launch(Kernel.COL2IM, d, dx.n(), geometry(xShape, w.shape(), ys, spec), dcols.ptr(), dx.ptr());
            return dx;
        }
    }

    @Override public Tensor conv2dBackwardWeight(Tensor x, Tensor dy, Shape wShape, Conv2d spec) {
        DType d = backend.check("conv2dBackwardWeight", x, dy);
        Shape ys = spec.outputShape(x.shape(), wShape);
        expectDy("conv2dBackwardWeight", dy, ys, x.shape(), wShape);
        int np = ys.dim(0) * ys.dim(2) * ys.dim(3), o = ys.dim(1), ckk = wShape.dim(1) * wShape.dim(2) * wShape.dim(3);
        try (CudaTensor cols = im2col(x, wShape, ys, spec); CudaTensor dyt = channelsFirst(dy)) {
            CudaTensor dw = backend.empty(wShape, d);
            backend.gemm().gemm(d, 1, o, ckk, np, false, dyt.ptr(), np, 0, true, cols.ptr(), np, 0, dw.ptr(), 0);
            return dw;
        }
    }

    /** The PoolGeom struct of common.cuh. */
    private static int[] geometry(Shape x, Shape y, Pool2d s) {
        return new int[] {x.dim(0), x.dim(1), x.dim(2), x.dim(3), s.windowH(), s.windowW(), s.strideH(), s.strideW(),
                s.padH(), s.padW(), y.dim(2), y.dim(3), s.countIncludePad() ? 1 : 0};
    }

    @Override public Tensor maxPool2d(Tensor x, Pool2d spec) { return pool("maxPool2d", Kernel.MAX_POOL, x, spec); }

    public Tensor avgPool2d(Tensor x, Pool2d spec) { return pool("avgPool2d", Kernel.AVG_POOL, x, spec); }

    private Tensor pool(String op, Kernel k, Tensor x, Pool2d spec) {
        DType d = backend.check(op, x);
        Shape ys = spec.outputShape(x.shape());
        CudaTensor y = backend.empty(ys, d);
        backend.cuda().launch(k, d, y.n(), geometry(x.shape(), ys, spec), CudaBackend.dev(x).ptr(), y.ptr());
        return y;
    }

    @Override public Tensor maxPool2dBackward(Tensor dy, Tensor x, Pool2d spec) {
        DType d = backend.check("maxPool2dBackward", dy, x);
        Shape ys = spec.outputShape(x.shape());
        expectDy("maxPool2dBackward", dy, ys, x.shape(), null);
        CudaTensor dx = backend.empty(x.shape(), d);
        backend.cuda().launch(Kernel.MAX_POOL_BACKWARD, d, dx.n(), geometry(x.shape(), ys, spec),
                CudaBackend.dev(dy).ptr(), CudaBackend.dev(x).ptr(), dx.ptr());
        return dx;
    }

    public Tensor avgPool2dBackward(Tensor dy, Shape xShape, Pool2d spec) {
        DType d = backend.check("avgPool2dBackward", dy);
        Shape ys = spec.outputShape(xShape);
        expectDy("avgPool2dBackward", dy, ys, xShape, null);
        CudaTensor dx = backend.empty(xShape, d);
        backend.cuda().launch(Kernel.AVG_POOL_BACKWARD, d, dx.n(), geometry(xShape, ys, spec), CudaBackend.dev(dy).ptr(), dx.ptr());
        return dx;
    }
}
