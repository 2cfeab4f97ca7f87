package io.github.knetj.docs;

import io.github.knetj.api.Conv2d;
import io.github.knetj.api.Convolution;
import io.github.knetj.api.DType;
import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;

/**
 * The tutorial backend's convolution and pooling over NCHW images: the direct loops, one multiply-add at a time.
 * <p>
 * All three conv2d passes visit the same (output pixel, kernel tap) pairs: {@link #taps} walks them once and hands
 * each pair to a small action, so forward ({@code y += x·w}), backward-input ({@code dx += dy·w}) and
 * backward-weight ({@code dw += dy·x}) are one line each. The transposed convolution is the interface's default.
 */
final class TinyConvolution implements Convolution {
    private final TinyBackend backend;

    TinyConvolution(TinyBackend backend) { this.backend = backend; }

    /** What to do with one (x element, w element, y element) triple of a convolution. */
    private interface Tap { void at(int xi, int wi, int yi); }

    // tag::taps[]
    /** Calls tap for every output pixel and kernel tap whose input pixel lies inside the image (padding is zero). */
    private static void taps(Shape xs, Shape ws, Shape ys, Conv2d s, Tap tap) {
        int batch = xs.dim(0), channels = xs.dim(1), height = xs.dim(2), width = xs.dim(3);
        int outC = ws.dim(0), kh = ws.dim(2), kw = ws.dim(3), outH = ys.dim(2), outW = ys.dim(3);
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < outC; o++)
                for (int i = 0; i < outH; i++)
                    for (int j = 0; j < outW; j++)
                        for (int c = 0; c < channels; c++)
                            for (int ki = 0; ki < kh; ki++)
                                for (int kj = 0; kj < kw; kj++) {
                                    int r = i * s.strideH() - s.padH() + ki * s.dilationH();
                                    int q = j * s.strideW() - s.padW() + kj * s.dilationW();
                                    if (r < 0 || r >= height || q < 0 || q >= width) continue;
                                    tap.at(((n * channels + c) * height + r) * width + q, ((o * channels + c) * kh + ki) * kw + kj,
                                            ((n * outC + o) * outH + i) * outW + j);
                                }
    }
    // end::taps[]

    // tag::conv[]
    @Override public Tensor conv2d(Tensor x, Tensor w, Conv2d spec) {
        DType d = backend.check("conv2d", x, w);
        Shape ys = spec.outputShape(x.shape(), w.shape());
        double[] vx = TinyBackend.read(x), vw = TinyBackend.read(w), y = new double[ys.sizeInt()];
        taps(x.shape(), w.shape(), ys, spec, (xi, wi, yi) -> y[yi] += vx[xi] * vw[wi]);
        return backend.result(ys, d, y);
    }

    @Override public Tensor conv2dBackwardInput(Tensor dy, Tensor w, Shape xShape, Conv2d spec) {
        DType d = backend.check("conv2dBackwardInput", dy, w);
        expect("conv2dBackwardInput", dy.shape(), spec.outputShape(xShape, w.shape()));
        double[] g = TinyBackend.read(dy), vw = TinyBackend.read(w), dx = new double[xShape.sizeInt()];
        taps(xShape, w.shape(), dy.shape(), spec, (xi, wi, yi) -> dx[xi] += g[yi] * vw[wi]);
        return backend.result(xShape, d, dx);
    }
    // end::conv[]

    @Override public Tensor conv2dBackwardWeight(Tensor x, Tensor dy, Shape wShape, Conv2d spec) {
        DType d = backend.check("conv2dBackwardWeight", x, dy);
        expect("conv2dBackwardWeight", dy.shape(), spec.outputShape(x.shape(), wShape));
        double[] vx = TinyBackend.read(x), g = TinyBackend.read(dy), dw = new double[wShape.sizeInt()];
        taps(x.shape(), wShape, dy.shape(), spec, (xi, wi, yi) -> dw[wi] += g[yi] * vx[xi]);
        return backend.result(wShape, d, dw);
    }

    /** What to do with one window of a pooling: its output element and the input cells inside the image. */
    private interface Window { void at(int yi, int[] cells, int count); }

    /** Calls window for every output cell with the flat indices of the real (not padding) cells of its window, row-major. */
    private static void windows(Shape xs, Shape ys, Pool2d s, Window window) {
        int planes = xs.dim(0) * xs.dim(1), height = xs.dim(2), width = xs.dim(3), outH = ys.dim(2), outW = ys.dim(3);
        int[] cells = new int[s.windowH() * s.windowW()];
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < outH; i++)
                for (int j = 0; j < outW; j++) {
                    int count = 0;
                    for (int ki = 0; ki < s.windowH(); ki++)
                        for (int kj = 0; kj < s.windowW(); kj++) {
                            int r = i * s.strideH() - s.padH() + ki, q = j * s.strideW() - s.padW() + kj;
                            if (r >= 0 && r < height && q >= 0 && q < width) cells[count++] = (p * height + r) * width + q;
                        }
                    window.at((p * outH + i) * outW + j, cells, count);
                }
    }

    /** The first largest real cell of each window (padding never wins). */
    private static int[] argmaxes(Shape xs, Shape ys, Pool2d spec, double[] v) {
        int[] arg = new int[ys.sizeInt()];
        windows(xs, ys, spec, (yi, cells, count) -> {
            int best = cells[0];
            for (int k = 1; k < count; k++) if (v[cells[k]] > v[best]) best = cells[k];
            arg[yi] = best;
        });
        return arg;
    }

    @Override public Tensor maxPool2d(Tensor x, Pool2d spec) {
        DType d = backend.check("maxPool2d", x);
        Shape ys = spec.outputShape(x.shape());
        double[] v = TinyBackend.read(x), y = new double[ys.sizeInt()];
        int[] arg = argmaxes(x.shape(), ys, spec, v);
        for (int k = 0; k < y.length; k++) y[k] = v[arg[k]];
        return backend.result(ys, d, y);
    }

    @Override public Tensor maxPool2dBackward(Tensor dy, Tensor x, Pool2d spec) {
        DType d = backend.check("maxPool2dBackward", dy, x);
        Shape ys = spec.outputShape(x.shape());
        expect("maxPool2dBackward", dy.shape(), ys);
        int[] arg = argmaxes(x.shape(), ys, spec, TinyBackend.read(x));
        double[] g = TinyBackend.read(dy), dx = new double[x.shape().sizeInt()];
        for (int k = 0; k < g.length; k++) dx[arg[k]] += g[k];
        return backend.result(x.shape(), d, dx);
    }

    /** A gradient must have the forward output's shape; the error names the op. */
    private static void expect(String op, Shape got, Shape expected) {
        if (!got.equals(expected)) throw new IllegalArgumentException(op + ": dy has shape " + got + ", expected " + expected);
    }
}
