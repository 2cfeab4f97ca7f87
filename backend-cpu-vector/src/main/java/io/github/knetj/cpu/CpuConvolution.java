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
 * Convolution as im2col + the packed matrix product over groups of images. The column matrices of a group sit side
 * by side, (C·kh·kw, G·Ho·Wo), so each pass is one large product that the matrix kernel spreads over the pool, even
 * for one image: forward Y = W·cols; backward-input dcols = Wᵀ·dY, folded back with col2im; backward-weight
 * dW += dY·colsᵀ. dY is dy with its (N, O) axes swapped to (O, N), and Y goes back the same way. The group size
 * depends only on the shapes (the scratch stays under {@link #SCRATCH} elements), so results never depend on the
 * thread count. Pooling is in {@link Pooling}.
 */
final class CpuConvolution implements Convolution {
    /** Elements of column scratch per group of images: 8M (32 MB in float32). */
    private static final long SCRATCH = 1 << 23;
    private final Backend backend;
    private final Gemm gemm;

    CpuConvolution(Backend backend, Gemm gemm) {
        this.backend = backend;
        this.gemm = gemm;
    }

    private static Im2col.Geometry geometry(Shape x, Shape w, Shape y, Conv2d spec) {
        return new Im2col.Geometry(x.dim(1), x.dim(2), x.dim(3), w.dim(2), w.dim(3), y.dim(2), y.dim(3), spec);
    }

    /** Images per group: as many as fit the scratch, at least one. */
    private static int groupSize(Im2col.Geometry g, int batch) {
        return (int) Math.max(1, Math.min(batch, SCRATCH / Math.max(1L, (long) g.rows() * g.cols())));
    }

    @Override public Tensor conv2d(Tensor x, Tensor w, Conv2d spec) {
        DType d = Host.check("conv2d", backend, x, w);
        Shape ys = spec.outputShape(x.shape(), w.shape());
        Im2col.Geometry g = geometry(x.shape(), w.shape(), ys, spec);
        HostTensor y = Host.zeros(backend, ys, d);
        int batch = ys.dim(0), o = ys.dim(1), kk = g.rows(), p = g.cols(), group = groupSize(g, batch);
        Object xa = Host.array(x), wa = Host.array(w), ya = Host.array(y);
        Object cols = like(xa, (long) kk * group * p), out = like(xa, (long) o * group * p);
        for (int n0 = 0; n0 < batch; n0 += group) {
            int gn = Math.min(group, batch - n0), ld = gn * p;
            unfold(g, xa, n0, gn, cols);
            zero(out);
            gemm(false, false, o, ld, kk, wa, 0, kk, cols, 0, ld, out, 0, ld);
            swapImagesAndChannels(out, ya, n0 * o * p, gn, o, p, false);
        }
        return y;
    }

    @Override public Tensor conv2dBackwardInput(Tensor dy, Tensor w, Shape xShape, Conv2d spec) {
        DType d = Host.check("conv2dBackwardInput", backend, dy, w);
        Shape ys = spec.outputShape(xShape, w.shape());
        expect("conv2dBackwardInput", dy.shape(), ys, xShape, w.shape());
        Im2col.Geometry g = geometry(xShape, w.shape(), ys, spec);
        HostTensor dx = Host.zeros(backend, xShape, d);
        int batch = ys.dim(0), o = ys.dim(1), kk = g.rows(), p = g.cols(), group = groupSize(g, batch);
        int c = g.channels(), image = c * g.height() * g.width();
        Object dya = Host.array(dy), wa = Host.array(w), dxa = Host.array(dx);
        Object cols = like(dya, (long) kk * group * p), grad = like(dya, (long) o * group * p);
        for (int n0 = 0; n0 < batch; n0 += group) {
            int gn = Math.min(group, batch - n0), ld = gn * p, first = n0;
            swapImagesAndChannels(grad, dya, n0 * o * p, gn, o, p, true);
            zero(cols);
            gemm(true, false, kk, ld, o, wa, 0, kk, grad, 0, ld, cols, 0, ld);
            // Each (image, channel) pair owns its cells of dx.
            Parallel.forRange(gn * c, Host.grain((long) g.kh() * g.kw() * p), (u0, u1) -> {
                for (int u = u0; u < u1; u++) {
                    int i = u / c, ch = u % c;
                    col2im(g, cols, i * p, ld, dxa, (first + i) * image, ch, ch + 1);
                }
            });
        }
        return dx;
    }

    @Override public Tensor conv2dBackwardWeight(Tensor x, Tensor dy, Shape wShape, Conv2d spec) {
        DType d = Host.check("conv2dBackwardWeight", backend, x, dy);
        Shape ys = spec.outputShape(x.shape(), wShape);
        expect("conv2dBackwardWeight", dy.shape(), ys, x.shape(), wShape);
        Im2col.Geometry g = geometry(x.shape(), wShape, ys, spec);
        HostTensor dw = Host.zeros(backend, wShape, d);
        int batch = ys.dim(0), o = ys.dim(1), kk = g.rows(), p = g.cols(), group = groupSize(g, batch);
        Object xa = Host.array(x), dya = Host.array(dy), dwa = Host.array(dw);
        Object cols = like(xa, (long) kk * group * p), grad = like(xa, (long) o * group * p);
        for (int n0 = 0; n0 < batch; n0 += group) {
            int gn = Math.min(group, batch - n0), ld = gn * p;
            unfold(g, xa, n0, gn, cols);
            swapImagesAndChannels(grad, dya, n0 * o * p, gn, o, p, true);
            gemm(false, true, o, kk, ld, grad, 0, ld, cols, 0, ld, dwa, 0, kk);
        }
        return dw;
    }

    /** The column matrices of images [n0, n0+gn) side by side in cols, rows ld = gn·Ho·Wo apart; split by rows over the pool. */
    private static void unfold(Im2col.Geometry g, Object x, int n0, int gn, Object cols) {
        int p = g.cols(), ld = gn * p, image = g.channels() * g.height() * g.width();
        Parallel.forRange(g.rows(), Host.grain(ld), (r0, r1) -> {
            for (int i = 0; i < gn; i++) {
                if (x instanceof float[] f) Im2col.im2col(g, f, (n0 + i) * image, (float[]) cols, i * p, ld, r0, r1);
                else Im2col.im2col(g, (double[]) x, (n0 + i) * image, (double[]) cols, i * p, ld, r0, r1);
            }
        });
    }

    /**
     * Between (O, G·P) and gn images of (O, P) at {@code off} of an NCHW-ordered array: {@code gather} reads the images
     * into the matrix (dy to dY), otherwise the matrix is written out to the images (Y to y).
     */
    private static void swapImagesAndChannels(Object matrix, Object images, int off, int gn, int o, int p, boolean gather) {
        int ld = gn * p;
        for (int i = 0; i < gn; i++) for (int ch = 0; ch < o; ch++) {
            if (gather) System.arraycopy(images, off + (i * o + ch) * p, matrix, ch * ld + i * p, p);
            else System.arraycopy(matrix, ch * ld + i * p, images, off + (i * o + ch) * p, p);
        }
    }

    private static void col2im(Im2col.Geometry g, Object cols, int co, int ld, Object dx, int xo, int c0, int c1) {
        if (cols instanceof float[] f) Im2col.col2im(g, f, co, ld, (float[]) dx, xo, c0, c1);
        else Im2col.col2im(g, (double[]) cols, co, ld, (double[]) dx, xo, c0, c1);
    }

    private void gemm(boolean ta, boolean tb, int m, int n, int k, Object a, int ao, int lda, Object b, int bo, int ldb, Object c, int co, int ldc) {
        if (a instanceof float[] f) gemm.gemm(ta, tb, m, n, k, f, ao, lda, (float[]) b, bo, ldb, (float[]) c, co, ldc, true);
        else gemm.gemm(ta, tb, m, n, k, (double[]) a, ao, lda, (double[]) b, bo, ldb, (double[]) c, co, ldc, true);
    }

    /** A new zero array of the same element type as {@code like}. */
    private static Object like(Object like, long n) {
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("conv2d: scratch of " + n + " elements is more than a Java array holds");
        return like instanceof float[] ? new float[(int) n] : new double[(int) n];
    }

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
        return Pooling.maxForward(backend, Host.host(x), spec, d);
    }

    @Override public Tensor maxPool2dBackward(Tensor dy, Tensor x, Pool2d spec) {
        DType d = Host.check("maxPool2dBackward", backend, dy, x);
        expect("maxPool2dBackward", dy.shape(), spec.outputShape(x.shape()), x.shape(), null);
        return Pooling.maxBackward(backend, Host.host(dy), Host.host(x), spec, d);
    }

    @Override public Tensor avgPool2d(Tensor x, Pool2d spec) {
        DType d = Host.check("avgPool2d", backend, x);
        return Pooling.average(backend, Host.host(x), x.shape(), spec.outputShape(x.shape()), spec, d, false);
    }

    @Override public Tensor avgPool2dBackward(Tensor dy, Shape xShape, Pool2d spec) {
        DType d = Host.check("avgPool2dBackward", backend, dy);
        expect("avgPool2dBackward", dy.shape(), spec.outputShape(xShape), xShape, null);
        return Pooling.average(backend, Host.host(dy), xShape, dy.shape(), spec, d, true);
    }
}
