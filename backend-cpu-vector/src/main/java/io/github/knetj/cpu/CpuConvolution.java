package io.github.knetj.cpu;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Conv2d;
import io.github.knetj.api.Convolution;
import io.github.knetj.api.DType;
import io.github.knetj.api.HostTensor;
import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.cpu.fast.DirectWeightGradient;
import io.github.knetj.cpu.fast.MaxPool2x2;
import io.github.knetj.cpu.fast.Winograd;

import static io.github.knetj.cpu.Padding.padded;
import static io.github.knetj.cpu.Padding.paddedImages;
import static io.github.knetj.cpu.Padding.size;

/**
 * The convolution and pooling entry points of the CPU backend: each checks its arguments and picks one strategy, the
 * same choice for the same shapes on every call. Where the kernel offers {@link Gemm#columns} (the SIMD float32
 * product):
 * <ul>
 * <li>float32 3×3 layers at stride 1 with at least 16 channels in and out take {@link Winograd}'s F(2×2, 3×3), in all
 *     three passes: 2.25× fewer multiply-adds;
 * <li>the weight gradient of layers with few output channels comes from {@link DirectWeightGradient};
 * <li>a convolution followed by 2×2 max pooling ({@link #conv2dMaxPool}) pools each image inside the im2col loop;
 * </ul>
 * everything else, every float64 convolution and every one with SIMD off runs {@link Im2colConvolution}. Pooling is
 * in {@link Pooling}.
 */
final class CpuConvolution implements Convolution {
    /** Backward-weight sums its images in this many fixed groups, so the result never depends on the thread count. */
    private static final int WEIGHT_GROUPS = 8;
    private final Backend backend;
    private final Kernels kernels;
    private final Gemm gemm;
    private final Im2colConvolution im2col;

    CpuConvolution(Backend backend, Kernels kernels) {
        this.backend = backend;
        this.kernels = kernels;
        this.gemm = kernels.gemm();
        this.im2col = new Im2colConvolution(backend, gemm);
    }

    private static Im2col.Geometry geometry(Shape x, Shape w, Shape y, Conv2d spec) {
        return new Im2col.Geometry(x.dim(1), x.dim(2), x.dim(3), w.dim(2), w.dim(3), y.dim(2), y.dim(3), spec);
    }

    @Override public Tensor conv2d(Tensor x, Tensor w, Conv2d spec) { return conv2d(x, w, null, spec); }

    /** conv2d plus a bias b (1, out, 1, 1), or null ({@link io.github.knetj.api.Fused#conv2d}, checked there). */
    Tensor conv2d(Tensor x, Tensor w, Tensor b, Conv2d spec) { return forward(x, w, b, spec, null)[0]; }

    /**
     * {@code {y, maxPool(y)}} for y = conv2d(x, w) + b ({@link io.github.knetj.api.Fused#conv2dMaxPool}). Where y comes
     * from the im2col loop with the SIMD product and the window is 2×2 at stride 2, each image's outputs are pooled right
     * after its product, while they are in cache (a pass of its own read LeNet's 4.6 MB conv1 output back from memory,
     * 0.18 ms a step); elsewhere y is pooled after. The outputs are the same to the bit either way.
     */
    Tensor[] conv2dMaxPool(Tensor x, Tensor w, Tensor b, Conv2d spec, Pool2d pool) { return forward(x, w, b, spec, pool); }

    /** {y, the max pooling of y (null without a pool)}, the strategy picked once for both entry points. */
    private Tensor[] forward(Tensor x, Tensor w, Tensor b, Conv2d spec, Pool2d pool) {
        DType d = b == null ? Host.check("conv2d", backend, x, w) : Host.check("conv2d", backend, x, w, b);
        Shape ys = spec.outputShape(x.shape(), w.shape());
        Im2col.Geometry g = geometry(x.shape(), w.shape(), ys, spec);
        int o = ys.dim(1);
        Object xa = Host.array(x), wa = Host.array(w), ba = b == null ? null : Host.array(b);
        Gemm.ColumnProducts fused = xa instanceof float[] ? gemm.columns(padded(g)) : null;
        Tensor y;
        if (fused != null && Winograd.applies(g, o)) {
            HostTensor yw = Host.uncleared(backend, ys, d);
            Winograd.forward(g, ys.dim(0), o, (float[]) xa, (float[]) wa, yw.floats());
            y = b == null ? yw : backend.elementwise().binary(io.github.knetj.api.BinaryOp.ADD, yw, b);
        } else if (pool != null && fused != null && MaxPool2x2.applies(pool)) {
            Shape ps = pool.outputShape(ys);
            HostTensor pooled = Host.uncleared(backend, ps, d);
            int h = ys.dim(2), wd = ys.dim(3), oh = ps.dim(2), ow = ps.dim(3);
            y = im2col.forward(g, ys, d, xa, wa, ba, fused,
                    (ya, n) -> kernels.maxPool2x2((float[]) ya, pooled.floats(), n * o, (n + 1) * o, h, wd, oh, ow));
            return new Tensor[] {y, pooled};
        } else {
            y = im2col.forward(g, ys, d, xa, wa, ba, fused, null);
        }
        return new Tensor[] {y, pool == null ? null : maxPool2d(y, pool)};
    }

    @Override public Tensor conv2dBackwardInput(Tensor dy, Tensor w, Shape xShape, Conv2d spec) {
        DType d = Host.check("conv2dBackwardInput", backend, dy, w);
        Shape ys = spec.outputShape(xShape, w.shape());
        expect("conv2dBackwardInput", dy.shape(), ys, xShape, w.shape());
        Im2col.Geometry g = geometry(xShape, w.shape(), ys, spec);
        int o = ys.dim(1);
        Object dya = Host.array(dy), wa = Host.array(w);
        Gemm.ColumnProducts fused = dya instanceof float[] ? gemm.columns(padded(g)) : null;
        if (fused != null && Winograd.applies(g, o)) {
            HostTensor dx = Host.uncleared(backend, xShape, d);
            Winograd.backwardInput(g, ys.dim(0), o, (float[]) dya, (float[]) wa, dx.floats());
            return dx;
        }
        return im2col.backwardInput(g, ys, xShape, d, dya, wa, fused);
    }

    @Override public Tensor conv2dBackwardWeight(Tensor x, Tensor dy, Shape wShape, Conv2d spec) { return backwardWeight(x, dy, wShape, spec, null); }

    /**
     * {@code {dW, db}} ({@link io.github.knetj.api.Fused#conv2dBackwardWeightBias}): the direct weight gradient and the
     * im2col one sum db as they read dy; Winograd's layers sum it in a pass of its own.
     */
    Tensor[] conv2dBackwardWeightBias(Tensor x, Tensor dy, Shape wShape, Conv2d spec) {
        HostTensor[] db = new HostTensor[1];
        Tensor dw = backwardWeight(x, dy, wShape, spec, db);
        return new Tensor[] {dw, db[0] != null ? db[0] : backend.reductions().sumTo(dy, Shape.of(1, wShape.dim(0), 1, 1))};
    }

    /** The weight gradient; when {@code db} is not null, db[0] gets the bias gradient too unless Winograd's path runs. */
    private Tensor backwardWeight(Tensor x, Tensor dy, Shape wShape, Conv2d spec, HostTensor[] db) {
        DType d = Host.check("conv2dBackwardWeight", backend, x, dy);
        Shape ys = spec.outputShape(x.shape(), wShape);
        expect("conv2dBackwardWeight", dy.shape(), ys, x.shape(), wShape);
        Im2col.Geometry g = geometry(x.shape(), wShape, ys, spec);
        int batch = ys.dim(0), o = ys.dim(1), image = g.channels() * g.height() * g.width();
        int groups = Math.max(1, Math.min(batch, WEIGHT_GROUPS));
        Object xa = Host.array(x), dya = Host.array(dy);
        Im2col.Geometry gp = padded(g);
        Gemm.ColumnProducts fused = xa instanceof float[] ? gemm.columns(gp) : null;
        if (fused != null && Winograd.applies(g, o)) {
            HostTensor dw = Host.uncleared(backend, wShape, d);
            Winograd.backwardWeight(g, batch, o, (float[]) xa, (float[]) dya, dw.floats(), groups);
            return dw;
        }
        boolean pad = fused != null && gp != g;
        if (fused != null && DirectWeightGradient.applies(gp, o)) {
            HostTensor dw = Host.zeros(backend, wShape, d);
            if (db != null) db[0] = Host.uncleared(backend, Shape.of(1, o, 1, 1), d);
            DirectWeightGradient.compute(gp, batch, o, pad ? paddedImages(g, (float[]) xa, batch) : (float[]) xa, pad ? size(gp) : image,
                    (float[]) dya, dw.floats(), db == null ? null : db[0].floats());
            return dw;
        }
        if (db != null) db[0] = Host.uncleared(backend, Shape.of(1, o, 1, 1), d);
        return im2col.backwardWeight(g, ys, wShape, d, xa, dya, fused, groups, kernels, db == null ? null : Host.array(db[0]));
    }

    /** A gradient's shape must be the forward output's shape; the error names the op and every shape involved. */
    static void expect(String op, Shape got, Shape expected, Shape xShape, Shape wShape) {
        if (!got.equals(expected))
            throw new IllegalArgumentException(op + ": dy has shape " + got + ", expected " + expected + " for x " + xShape
                    + (wShape == null ? "" : " and w " + wShape));
    }

    @Override public Tensor maxPool2d(Tensor x, Pool2d spec) {
        DType d = Host.check("maxPool2d", backend, x);
        return Pooling.maxForward(backend, kernels, Host.host(x), spec, d);
    }

    @Override public Tensor maxPool2dBackward(Tensor dy, Tensor x, Pool2d spec) {
        DType d = Host.check("maxPool2dBackward", backend, dy, x);
        expect("maxPool2dBackward", dy.shape(), spec.outputShape(x.shape()), x.shape(), null);
        return Pooling.maxBackward(backend, kernels, Host.host(dy), Host.host(x), spec, d);
    }

    public Tensor avgPool2d(Tensor x, Pool2d spec) {
        DType d = Host.check("avgPool2d", backend, x);
        return Pooling.average(backend, Host.host(x), x.shape(), spec.outputShape(x.shape()), spec, d, false);
    }

    public Tensor avgPool2dBackward(Tensor dy, Shape xShape, Pool2d spec) {
        DType d = Host.check("avgPool2dBackward", backend, dy);
        expect("avgPool2dBackward", dy.shape(), spec.outputShape(xShape), xShape, null);
        return Pooling.average(backend, Host.host(dy), xShape, dy.shape(), spec, d, true);
    }
}
