package io.github.knetj.cpu;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.HostTensor;
import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Shape;

/**
 * Max and average pooling over NCHW planes, forward and backward, spread over the pool by planes (each plane's output
 * and gradient are written by one task). Each window is clipped to the real cells once: max pooling never sees the
 * padding, and the average's divisor is the window area when countIncludePad, else the number of real cells.
 */
final class Pooling {
    private Pooling() {}

    /** The real cells of one window: rows [r0, r1), columns [q0, q1), and the average's divisor. */
    private record Window(int r0, int r1, int q0, int q1, double divisor) {
        static Window of(Pool2d s, int i, int j, int height, int width) {
            int r = i * s.strideH() - s.padH(), q = j * s.strideW() - s.padW();
            int r0 = Math.max(r, 0), r1 = Math.min(r + s.windowH(), height), q0 = Math.max(q, 0), q1 = Math.min(q + s.windowW(), width);
            return new Window(r0, r1, q0, q1, s.countIncludePad() ? s.windowH() * s.windowW() : (r1 - r0) * (q1 - q0));
        }
    }

    /** Index in the plane of the first largest cell of the window, scanned row-major (strictly greater replaces). */
    private static int argmax(float[] x, int base, int width, Window w) {
        int best = base + w.r0() * width + w.q0();
        for (int r = w.r0(); r < w.r1(); r++) for (int q = w.q0(); q < w.q1(); q++) if (x[base + r * width + q] > x[best]) best = base + r * width + q;
        return best;
    }

    private static int argmax(double[] x, int base, int width, Window w) {
        int best = base + w.r0() * width + w.q0();
        for (int r = w.r0(); r < w.r1(); r++) for (int q = w.q0(); q < w.q1(); q++) if (x[base + r * width + q] > x[best]) best = base + r * width + q;
        return best;
    }

    static HostTensor maxForward(Backend backend, HostTensor x, Pool2d s, DType d) {
        Shape xs = x.shape(), ys = s.outputShape(xs);
        HostTensor y = HostTensor.zeros(backend, ys, d);
        int h = xs.dim(2), w = xs.dim(3), oh = ys.dim(2), ow = ys.dim(3);
        Parallel.forRange(xs.dim(0) * xs.dim(1), Host.grain((long) h * w), (p0, p1) -> {
            for (int p = p0; p < p1; p++) for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) {
                Window win = Window.of(s, i, j, h, w);
                int yi = (p * oh + i) * ow + j;
                if (d == DType.FLOAT32) y.floats()[yi] = x.floats()[argmax(x.floats(), p * h * w, w, win)];
                else y.doubles()[yi] = x.doubles()[argmax(x.doubles(), p * h * w, w, win)];
            }
        });
        return y;
    }

    static HostTensor maxBackward(Backend backend, HostTensor dy, HostTensor x, Pool2d s, DType d) {
        Shape xs = x.shape(), ys = dy.shape();
        HostTensor dx = HostTensor.zeros(backend, xs, d);
        int h = xs.dim(2), w = xs.dim(3), oh = ys.dim(2), ow = ys.dim(3);
        Parallel.forRange(xs.dim(0) * xs.dim(1), Host.grain((long) h * w), (p0, p1) -> {
            for (int p = p0; p < p1; p++) for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) {
                Window win = Window.of(s, i, j, h, w);
                int yi = (p * oh + i) * ow + j;
                if (d == DType.FLOAT32) dx.floats()[argmax(x.floats(), p * h * w, w, win)] += dy.floats()[yi];
                else dx.doubles()[argmax(x.doubles(), p * h * w, w, win)] += dy.doubles()[yi];
            }
        });
        return dx;
    }

    /** Forward: y = Σ window / divisor from {@code in} = x. Backward: every real cell gets dy / divisor, from {@code in} = dy. */
    static HostTensor average(Backend backend, HostTensor in, Shape xs, Shape ys, Pool2d s, DType d, boolean backward) {
        HostTensor out = HostTensor.zeros(backend, backward ? xs : ys, d);
        int h = xs.dim(2), w = xs.dim(3), oh = ys.dim(2), ow = ys.dim(3);
        Parallel.forRange(xs.dim(0) * xs.dim(1), Host.grain((long) h * w), (p0, p1) -> {
            for (int p = p0; p < p1; p++) for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) {
                Window win = Window.of(s, i, j, h, w);
                int yi = (p * oh + i) * ow + j, base = p * h * w;
                if (d == DType.FLOAT32) {
                    float[] a = in.floats(), b = out.floats();
                    if (backward) {
                        double g = a[yi] / win.divisor();
                        for (int r = win.r0(); r < win.r1(); r++) for (int q = win.q0(); q < win.q1(); q++) b[base + r * w + q] += (float) g;
                    } else {
                        double acc = 0;
                        for (int r = win.r0(); r < win.r1(); r++) for (int q = win.q0(); q < win.q1(); q++) acc += a[base + r * w + q];
                        b[yi] = (float) (acc / win.divisor());
                    }
                } else {
                    double[] a = in.doubles(), b = out.doubles();
                    if (backward) {
                        double g = a[yi] / win.divisor();
                        for (int r = win.r0(); r < win.r1(); r++) for (int q = win.q0(); q < win.q1(); q++) b[base + r * w + q] += g;
                    } else {
                        double acc = 0;
                        for (int r = win.r0(); r < win.r1(); r++) for (int q = win.q0(); q < win.q1(); q++) acc += a[base + r * w + q];
                        b[yi] = acc / win.divisor();
                    }
                }
            }
        });
        return out;
    }
}
