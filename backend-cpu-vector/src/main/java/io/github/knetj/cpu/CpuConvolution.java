package io.github.knetj.cpu;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Conv2d;
import io.github.knetj.api.Convolution;
import io.github.knetj.api.DType;
import io.github.knetj.api.HostTensor;
import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;

/**
 * Convolution as im2col + the packed matrix product, per image: forward y[n] = W·cols(x[n]); backward-input
 * dx[n] = col2im(Wᵀ·dy[n]); backward-weight dW = Σ dy[n]·cols(x[n])ᵀ. Where the kernel offers {@link Gemm#columns} (the
 * SIMD float32 product) the forward and weight-gradient products read the columns from the image while packing, the
 * weights are packed once per call, padded convolutions run on a zero-padded copy of each image, and layers with few
 * output channels get their weight gradient from {@link DirectWeightGradient}. One image's columns stay in cache while
 * its product reads them (measured faster here than one product over the columns of many images side by side). With
 * at least as many images as threads the images are spread over the pool; otherwise each image runs its unfolding,
 * product and folding on all threads. Backward-weight sums its images in a fixed number of groups, so no result
 * depends on the thread count. Float32 3×3 layers at stride 1 with at least 16 channels in and out take
 * {@link Winograd}'s F(2×2, 3×3) instead, in all three passes: 2.25× fewer multiply-adds. Pooling is in {@link Pooling}.
 */
final class CpuConvolution implements Convolution {
    /** Backward-weight sums its images in this many fixed groups, so the result never depends on the thread count. */
    private static final int WEIGHT_GROUPS = 8;
    /** Image tasks per pool thread in {@link #perImage}: enough to rebalance, few enough that each amortises its fork. */
    private static final int TASKS_PER_THREAD = 4;
    private final Backend backend;
    private final Kernels kernels;
    private final Gemm gemm;

    CpuConvolution(Backend backend, Kernels kernels) {
        this.backend = backend;
        this.kernels = kernels;
        this.gemm = kernels.gemm();
    }

    private static Im2col.Geometry geometry(Shape x, Shape w, Shape y, Conv2d spec) {
        return new Im2col.Geometry(x.dim(1), x.dim(2), x.dim(3), w.dim(2), w.dim(3), y.dim(2), y.dim(3), spec);
    }

    @Override public Tensor conv2d(Tensor x, Tensor w, Conv2d spec) {
        DType d = Host.check("conv2d", backend, x, w);
        Shape ys = spec.outputShape(x.shape(), w.shape());
        Im2col.Geometry g = geometry(x.shape(), w.shape(), ys, spec);
        int o = ys.dim(1), kk = g.rows(), p = g.cols(), image = g.channels() * g.height() * g.width();
        Object xa = Host.array(x), wa = Host.array(w);
        Im2col.Geometry gp = padded(g);
        Gemm.ColumnProducts fused = xa instanceof float[] ? gemm.columns(gp) : null;
        if (fused != null && Winograd.applies(g, o)) {
            HostTensor y = Host.uncleared(backend, ys, d);
            Winograd.forward(g, ys.dim(0), o, (float[]) xa, (float[]) wa, y.floats());
            return y;
        }
        // The fused product overwrites each image's outputs; the other path adds into them.
        HostTensor y = fused != null ? Host.uncleared(backend, ys, d) : Host.zeros(backend, ys, d);
        Object ya = Host.array(y);
        boolean pad = fused != null && gp != g;
        perImage(ys.dim(0), (n, scratch, inner) -> {
            if (fused != null) {
                float[] src = pad ? padInto(g, (float[]) xa, n * image, (float[]) scratch, 0) : (float[]) xa;
                fused.times(o, (float[]) wa, 0, kk, src, pad ? 0 : n * image, (float[]) ya, n * o * p, p, inner);
                return;
            }
            unfold(g, xa, n * image, scratch, inner);
            gemm(false, false, o, p, kk, wa, 0, kk, scratch, 0, p, ya, n * o * p, p, inner);
        }, xa, fused != null ? (pad ? size(gp) : 0) : kk * p);
        return y;
    }

    @Override public Tensor conv2dBackwardInput(Tensor dy, Tensor w, Shape xShape, Conv2d spec) {
        DType d = Host.check("conv2dBackwardInput", backend, dy, w);
        Shape ys = spec.outputShape(xShape, w.shape());
        expect("conv2dBackwardInput", dy.shape(), ys, xShape, w.shape());
        Im2col.Geometry g = geometry(xShape, w.shape(), ys, spec);
        int o = ys.dim(1), kk = g.rows(), p = g.cols(), image = g.channels() * g.height() * g.width();
        Object dya = Host.array(dy), wa = Host.array(w);
        Im2col.Geometry gp = padded(g);
        Gemm.ColumnProducts fused = dya instanceof float[] ? gemm.columns(gp) : null;
        if (fused != null && Winograd.applies(g, o)) {
            HostTensor dx = Host.uncleared(backend, xShape, d);
            Winograd.backwardInput(g, ys.dim(0), o, (float[]) dya, (float[]) wa, dx.floats());
            return dx;
        }
        boolean pad = fused != null && gp != g;
        // Padded, each image's gradient is folded in the scratch and copied whole into dx; otherwise folded into dx.
        HostTensor dx = pad ? Host.uncleared(backend, xShape, d) : Host.zeros(backend, xShape, d);
        Object dxa = Host.array(dx);
        // With padding the fused fold adds into a padded image after the columns in the scratch, cropped into dx.
        perImage(ys.dim(0), (n, cols, inner) -> {
            // The fused product overwrites the columns; only the padded image after them, which the fold adds into, is zeroed.
            if (fused == null) zero(cols);
            else if (pad) java.util.Arrays.fill((float[]) cols, kk * p, kk * p + size(gp), 0f);
            if (fused != null) fused.transposedTimes(o, (float[]) wa, 0, kk, (float[]) dya, n * o * p, (float[]) cols, inner);
            else gemm(true, false, kk, p, o, wa, 0, kk, dya, n * o * p, p, cols, 0, p, inner);
            Object into = pad ? cols : dxa;
            int at = pad ? kk * p : n * image;
            Parallel.Range channels = fused != null ? (c0, c1) -> fused.fold((float[]) cols, (float[]) into, at, c0, c1)
                    : (c0, c1) -> col2im(g, cols, dxa, n * image, c0, c1);
            if (inner) Parallel.forRange(g.channels(), Host.grain((long) g.kh() * g.kw() * p), channels);
            else channels.run(0, g.channels());
            if (pad) cropFrom(g, (float[]) cols, kk * p, (float[]) dxa, n * image);
        }, dxa, kk * p + (pad ? size(gp) : 0));
        return dx;
    }

    @Override public Tensor conv2dBackwardWeight(Tensor x, Tensor dy, Shape wShape, Conv2d spec) {
        DType d = Host.check("conv2dBackwardWeight", backend, x, dy);
        Shape ys = spec.outputShape(x.shape(), wShape);
        expect("conv2dBackwardWeight", dy.shape(), ys, x.shape(), wShape);
        Im2col.Geometry g = geometry(x.shape(), wShape, ys, spec);
        int batch = ys.dim(0), o = ys.dim(1), kk = g.rows(), p = g.cols(), image = g.channels() * g.height() * g.width();
        int groups = Math.max(1, Math.min(batch, WEIGHT_GROUPS));
        Object xa = Host.array(x), dya = Host.array(dy);
        Object[] partial = new Object[groups];
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
            DirectWeightGradient.compute(gp, batch, o, pad ? paddedImages(g, (float[]) xa, batch) : (float[]) xa, pad ? size(gp) : image,
                    (float[]) dya, dw.floats());
            return dw;
        }
        Parallel.Range body = (g0, g1) -> {
            boolean inner = groups < Parallel.threads();
            Object cols = like(xa, fused != null ? (pad ? size(gp) : 0) : kk * p);
            for (int gi = g0; gi < g1; gi++) {
                partial[gi] = like(xa, o * kk);
                for (int n = gi * batch / groups; n < (gi + 1) * batch / groups; n++) {
                    if (fused != null) {
                        // Into dWᵀ (kk, o); transposed below. The same products in the same order: the same bits.
                        float[] src = pad ? padInto(g, (float[]) xa, n * image, (float[]) cols, 0) : (float[]) xa;
                        fused.columnsTimesTransposed(o, (float[]) dya, n * o * p, p, src, pad ? 0 : n * image, (float[]) partial[gi], 0, o, inner);
                        continue;
                    }
                    unfold(g, xa, n * image, cols, inner);
                    gemm(false, true, o, kk, p, dya, n * o * p, p, cols, 0, p, partial[gi], 0, kk, inner);
                }
            }
        };
        if (groups >= Parallel.threads()) Parallel.forEach(groups, body);
        else body.run(0, groups);
        HostTensor dw = Host.zeros(backend, wShape, d);
        Object dwa = Host.array(dw);
        if (fused != null) {
            float[] f = (float[]) dwa;
            for (int gi = 0; gi < groups; gi++) {
                float[] t = (float[]) partial[gi];
                for (int r = 0; r < kk; r++) for (int oc = 0; oc < o; oc++) f[oc * kk + r] = gi == 0 ? t[r * o + oc] : f[oc * kk + r] + t[r * o + oc];
            }
            return dw;
        }
        System.arraycopy(partial[0], 0, dwa, 0, o * kk);
        for (int gi = 1; gi < groups; gi++) {
            if (dwa instanceof float[] f) for (int i = 0; i < f.length; i++) f[i] += ((float[]) partial[gi])[i];
            else for (int i = 0, n = o * kk; i < n; i++) ((double[]) dwa)[i] += ((double[]) partial[gi])[i];
        }
        return dw;
    }

    /** The work for image n with a scratch column matrix; {@code inner} says whether it may use all threads itself. */
    @FunctionalInterface
    interface ImageBody {
        void run(int n, Object cols, boolean inner);
    }

    /** Spreads the images over the pool when there are enough of them, else runs them one by one with inner parallelism. */
    static void perImage(int batch, ImageBody body, Object like, int scratch) {
        if (batch >= Parallel.threads()) {
            // Several tasks per thread, so the images of a thread that another process holds up are taken by the others.
            int per = Math.max(1, batch / (TASKS_PER_THREAD * Parallel.threads())), tasks = (batch + per - 1) / per;
            Parallel.forEach(tasks, (t0, t1) -> {
                Object cols = like(like, scratch);
                for (int n = t0 * per; n < Math.min(batch, t1 * per); n++) body.run(n, cols, false);
            });
        } else {
            Object cols = like(like, scratch);
            for (int n = 0; n < batch; n++) body.run(n, cols, true);
        }
    }

    /**
     * The same convolution on a zero-padded copy of the image, or g itself when it has no padding. The fused column
     * products read their panels straight from the image only without padding (a bounds test per element made the
     * padded 3×3 layer 1.4–2× slower), so a padded convolution copies each image into a padded buffer first: C·H'·W'
     * floats, against the kh·kw times larger column matrix that unfolding writes and reads back.
     */
    private static Im2col.Geometry padded(Im2col.Geometry g) {
        Conv2d s = g.s();
        if (s.padH() == 0 && s.padW() == 0) return g;
        return new Im2col.Geometry(g.channels(), g.height() + 2 * s.padH(), g.width() + 2 * s.padW(), g.kh(), g.kw(), g.outH(), g.outW(),
                new Conv2d(s.strideH(), s.strideW(), 0, 0, s.dilationH(), s.dilationW()));
    }

    private static int size(Im2col.Geometry g) { return g.channels() * g.height() * g.width(); }

    /** Every image of the batch at x, zero-padded as {@link #padded} says, one after another. */
    private static float[] paddedImages(Im2col.Geometry g, float[] x, int batch) {
        int image = size(g), padded = size(padded(g));
        float[] out = new float[batch * padded];
        Parallel.forRange(batch, 1, (n0, n1) -> { for (int n = n0; n < n1; n++) padInto(g, x, n * image, out, n * padded); });
        return out;
    }

    /** Copies image x[xo ..] into the interior of the padded image at dst[off ..]; the border is never written, so it stays 0. */
    private static float[] padInto(Im2col.Geometry g, float[] x, int xo, float[] dst, int off) {
        int ph = g.s().padH(), pw = g.s().padW(), h = g.height(), w = g.width(), wp = w + 2 * pw, hp = h + 2 * ph;
        for (int c = 0; c < g.channels(); c++)
            for (int i = 0; i < h; i++) System.arraycopy(x, xo + (c * h + i) * w, dst, off + (c * hp + i + ph) * wp + pw, w);
        return dst;
    }

    /** The interior of the padded image at src[off ..] into dx[xo ..] (the adjoint of {@link #padInto}). */
    private static void cropFrom(Im2col.Geometry g, float[] src, int off, float[] dx, int xo) {
        int ph = g.s().padH(), pw = g.s().padW(), h = g.height(), w = g.width(), wp = w + 2 * pw, hp = h + 2 * ph;
        for (int c = 0; c < g.channels(); c++)
            for (int i = 0; i < h; i++) System.arraycopy(src, off + (c * hp + i + ph) * wp + pw, dx, xo + (c * h + i) * w, w);
    }

    private static void unfold(Im2col.Geometry g, Object x, int xo, Object cols, boolean inner) {
        Parallel.Range rows = (r0, r1) -> {
            if (x instanceof float[] f) Im2col.im2col(g, f, xo, (float[]) cols, r0, r1);
            else Im2col.im2col(g, (double[]) x, xo, (double[]) cols, r0, r1);
        };
        if (inner) Parallel.forRange(g.rows(), Host.grain(g.cols()), rows);
        else rows.run(0, g.rows());
    }

    private static void col2im(Im2col.Geometry g, Object cols, Object dx, int xo, int c0, int c1) {
        if (cols instanceof float[] f) Im2col.col2im(g, f, (float[]) dx, xo, c0, c1);
        else Im2col.col2im(g, (double[]) cols, (double[]) dx, xo, c0, c1);
    }

    private void gemm(boolean ta, boolean tb, int m, int n, int k, Object a, int ao, int lda, Object b, int bo, int ldb, Object c, int co, int ldc, boolean parallel) {
        if (a instanceof float[] f) gemm.gemm(ta, tb, m, n, k, f, ao, lda, (float[]) b, bo, ldb, (float[]) c, co, ldc, parallel);
        else gemm.gemm(ta, tb, m, n, k, (double[]) a, ao, lda, (double[]) b, bo, ldb, (double[]) c, co, ldc, parallel);
    }

    /** A new zero array of the same element type as {@code like}. */
    private static Object like(Object like, int n) { return like instanceof float[] ? new float[n] : new double[n]; }

    private static void zero(Object a) {
        if (a instanceof float[] f) java.util.Arrays.fill(f, 0f);
        else java.util.Arrays.fill((double[]) a, 0.0);
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
