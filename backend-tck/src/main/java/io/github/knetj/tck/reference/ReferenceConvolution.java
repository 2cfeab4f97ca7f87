package io.github.knetj.tck.reference;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Conv2d;
import io.github.knetj.api.Convolution;
import io.github.knetj.api.DType;
import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;

/**
 * The reference convolution and pooling over NCHW images. The forward pass and both backward passes of conv2d walk
 * the same loop nest: forward gathers x·w into y, backward-input scatters dy·w into dx, backward-weight gathers
 * dy·x into dw. The transposed convolution is the interface default (backward-input used forward).
 */
final class ReferenceConvolution implements Convolution {
    private final Backend backend;

    ReferenceConvolution(Backend backend) { this.backend = backend; }

    /** Which product the shared conv2d loop nest accumulates. */
    private enum Pass { FORWARD, BACKWARD_INPUT, BACKWARD_WEIGHT }

    @Override public Tensor conv2d(Tensor x, Tensor w, Conv2d spec) {
        DType d = ReferenceHost.check("conv2d", backend, x, w);
        Shape y = spec.outputShape(x.shape(), w.shape());
        double[] out = new double[y.sizeInt()];
        loop(Pass.FORWARD, x.shape(), w.shape(), y, spec, ReferenceHost.values(x), ReferenceHost.values(w), out);
        return ReferenceHost.result(backend, y, d, out);
    }

    @Override public Tensor conv2dBackwardInput(Tensor dy, Tensor w, Shape xShape, Conv2d spec) {
        DType d = ReferenceHost.check("conv2dBackwardInput", backend, dy, w);
        expect("conv2dBackwardInput", dy.shape(), spec.outputShape(xShape, w.shape()), xShape, w.shape());
        double[] dx = new double[xShape.sizeInt()];
        loop(Pass.BACKWARD_INPUT, xShape, w.shape(), dy.shape(), spec, dx, ReferenceHost.values(w), ReferenceHost.values(dy));
        return ReferenceHost.result(backend, xShape, d, dx);
    }

    @Override public Tensor conv2dBackwardWeight(Tensor x, Tensor dy, Shape wShape, Conv2d spec) {
        DType d = ReferenceHost.check("conv2dBackwardWeight", backend, x, dy);
        expect("conv2dBackwardWeight", dy.shape(), spec.outputShape(x.shape(), wShape), x.shape(), wShape);
        double[] dw = new double[wShape.sizeInt()];
        loop(Pass.BACKWARD_WEIGHT, x.shape(), wShape, dy.shape(), spec, ReferenceHost.values(x), dw, ReferenceHost.values(dy));
        return ReferenceHost.result(backend, wShape, d, dw);
    }

    /** y[n,o,i,j] = Σ x[n,c,i·s−p+ki·dil, j·s−p+kj·dil]·w[o,c,ki,kj] over c, ki, kj, skipping cells in the zero padding. */
    private static void loop(Pass pass, Shape xs, Shape ws, Shape ys, Conv2d s, double[] x, double[] w, double[] y) {
        int batch = xs.dim(0), channels = xs.dim(1), height = xs.dim(2), width = xs.dim(3);
        int outC = ws.dim(0), kh = ws.dim(2), kw = ws.dim(3), outH = ys.dim(2), outW = ys.dim(3);
        for (int n = 0; n < batch; n++) for (int o = 0; o < outC; o++) for (int i = 0; i < outH; i++) for (int j = 0; j < outW; j++) {
            int yi = ((n * outC + o) * outH + i) * outW + j;
            double acc = 0;
            for (int c = 0; c < channels; c++) for (int ki = 0; ki < kh; ki++) for (int kj = 0; kj < kw; kj++) {
                int r = i * s.strideH() - s.padH() + ki * s.dilationH(), q = j * s.strideW() - s.padW() + kj * s.dilationW();
                if (r < 0 || r >= height || q < 0 || q >= width) continue;
                int xi = ((n * channels + c) * height + r) * width + q, wi = ((o * channels + c) * kh + ki) * kw + kj;
                switch (pass) {
                    case FORWARD -> acc += x[xi] * w[wi];
                    case BACKWARD_INPUT -> x[xi] += y[yi] * w[wi];
                    case BACKWARD_WEIGHT -> w[wi] += y[yi] * x[xi];
                }
            }
            if (pass == Pass.FORWARD) y[yi] = acc;
        }
    }

    @Override public Tensor maxPool2d(Tensor x, Pool2d spec) {
        DType d = ReferenceHost.check("maxPool2d", backend, x);
        Shape ys = spec.outputShape(x.shape());
        double[] v = ReferenceHost.values(x), y = new double[ys.sizeInt()];
        int[] arg = argmaxes(x.shape(), ys, spec, v);
        for (int k = 0; k < y.length; k++) y[k] = v[arg[k]];
        return ReferenceHost.result(backend, ys, d, y);
    }

    @Override public Tensor maxPool2dBackward(Tensor dy, Tensor x, Pool2d spec) {
        DType d = ReferenceHost.check("maxPool2dBackward", backend, dy, x);
        Shape ys = spec.outputShape(x.shape());
        expect("maxPool2dBackward", dy.shape(), ys, x.shape(), null);
        int[] arg = argmaxes(x.shape(), ys, spec, ReferenceHost.values(x));
        double[] g = ReferenceHost.values(dy), dx = new double[x.shape().sizeInt()];
        for (int k = 0; k < g.length; k++) dx[arg[k]] += g[k];
        return ReferenceHost.result(backend, x.shape(), d, dx);
    }

    /** For every output cell, the flat input index of the first largest real (non-padding) cell of its window, scanned row-major. */
    private static int[] argmaxes(Shape xs, Shape ys, Pool2d s, double[] x) {
        int planes = xs.dim(0) * xs.dim(1), height = xs.dim(2), width = xs.dim(3), outH = ys.dim(2), outW = ys.dim(3);
        int[] arg = new int[ys.sizeInt()];
        for (int p = 0; p < planes; p++) for (int i = 0; i < outH; i++) for (int j = 0; j < outW; j++) {
            int best = -1;
            for (int ki = 0; ki < s.windowH(); ki++) for (int kj = 0; kj < s.windowW(); kj++) {
                int r = i * s.strideH() - s.padH() + ki, q = j * s.strideW() - s.padW() + kj;
                if (r < 0 || r >= height || q < 0 || q >= width) continue;   // padding is −∞: never chosen
                int xi = (p * height + r) * width + q;
                if (best < 0 || x[xi] > x[best]) best = xi;
            }
            arg[(p * outH + i) * outW + j] = best;
        }
        return arg;
    }

    public Tensor avgPool2d(Tensor x, Pool2d spec) {
        DType d = ReferenceHost.check("avgPool2d", backend, x);
        Shape ys = spec.outputShape(x.shape());
        double[] y = new double[ys.sizeInt()];
        averages(x.shape(), ys, spec, ReferenceHost.values(x), y, false);
        return ReferenceHost.result(backend, ys, d, y);
    }

    public Tensor avgPool2dBackward(Tensor dy, Shape xShape, Pool2d spec) {
        DType d = ReferenceHost.check("avgPool2dBackward", backend, dy);
        Shape ys = spec.outputShape(xShape);
        expect("avgPool2dBackward", dy.shape(), ys, xShape, null);
        double[] dx = new double[xShape.sizeInt()];
        averages(xShape, ys, spec, dx, ReferenceHost.values(dy), true);
        return ReferenceHost.result(backend, xShape, d, dx);
    }

    /**
     * Forward: y = Σ window / divisor. Backward: every real cell of the window receives dy / divisor. The divisor is
     * windowH·windowW when countIncludePad, else the number of real cells (PyTorch's definition).
     */
    private static void averages(Shape xs, Shape ys, Pool2d s, double[] x, double[] y, boolean backward) {
        int planes = xs.dim(0) * xs.dim(1), height = xs.dim(2), width = xs.dim(3), outH = ys.dim(2), outW = ys.dim(3);
        for (int p = 0; p < planes; p++) for (int i = 0; i < outH; i++) for (int j = 0; j < outW; j++) {
            int r0 = i * s.strideH() - s.padH(), q0 = j * s.strideW() - s.padW();
            int rLo = Math.max(r0, 0), rHi = Math.min(r0 + s.windowH(), height), qLo = Math.max(q0, 0), qHi = Math.min(q0 + s.windowW(), width);
            double divisor = s.countIncludePad() ? s.windowH() * s.windowW() : (rHi - rLo) * (qHi - qLo);
            int yi = (p * outH + i) * outW + j;
            double acc = 0;
            for (int r = rLo; r < rHi; r++) for (int q = qLo; q < qHi; q++) {
                int xi = (p * height + r) * width + q;
                if (backward) x[xi] += y[yi] / divisor;
                else acc += x[xi];
            }
            if (!backward) y[yi] = acc / divisor;
        }
    }

    /** A gradient's shape must be the forward output's shape; the error names the op and every shape involved. */
    private static void expect(String op, Shape got, Shape expected, Shape xShape, Shape wShape) {
        if (!got.equals(expected))
            throw new IllegalArgumentException(op + ": dy has shape " + got + ", expected " + expected + " for x " + xShape
                    + (wShape == null ? "" : " and w " + wShape));
    }
}
