package io.github.knetj.cpu;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.HostTensor;
import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Shape;
import io.github.knetj.cpu.fast.MaxPool2x2;
import io.github.knetj.cpu.fast.Parallel;

/**
 * Max and average pooling over NCHW planes, forward and backward, spread over the pool by planes (each plane's output
 * and gradient are written by one task). The real (non-padding) rows and columns of every window are computed once per
 * call, so max pooling never sees the padding and the inner loops have no bounds tests; the average's divisor is the
 * window area when countIncludePad, else the number of real cells. Float32 2×2 stride-2 max pooling takes the
 * specialised {@link MaxPool2x2}.
 */
final class Pooling {
    private Pooling() {}

    /** The real cells of every window along one axis: window i covers [lo[i], hi[i]). */
    private record Ranges(int[] lo, int[] hi) {
        static Ranges of(int out, int window, int stride, int pad, int size) {
            int[] lo = new int[out], hi = new int[out];
            for (int i = 0; i < out; i++) {
                int start = i * stride - pad;
                lo[i] = Math.max(start, 0);
                hi[i] = Math.min(start + window, size);
            }
            return new Ranges(lo, hi);
        }
    }

    /** The geometry of one call: planes of h × w in, oh × ow out, and the window ranges along both axes. */
    private record Plan(int planes, int h, int w, int oh, int ow, Ranges rows, Ranges cols, Pool2d s) {
        static Plan of(Shape xs, Shape ys, Pool2d s) {
            int h = xs.dim(2), w = xs.dim(3), oh = ys.dim(2), ow = ys.dim(3);
            return new Plan(xs.dim(0) * xs.dim(1), h, w, oh, ow, Ranges.of(oh, s.windowH(), s.strideH(), s.padH(), h),
                    Ranges.of(ow, s.windowW(), s.strideW(), s.padW(), w), s);
        }

        double divisor(int i, int j) {
            return s.countIncludePad() ? s.windowH() * s.windowW() : (rows.hi()[i] - rows.lo()[i]) * (cols.hi()[j] - cols.lo()[j]);
        }

        /** Runs body(plane) for every plane, in parallel chunks of planes. */
        void forPlanes(java.util.function.IntConsumer body) {
            Parallel.forRange(planes, Host.grain((long) h * w), (p0, p1) -> { for (int p = p0; p < p1; p++) body.accept(p); });
        }
    }

    /** Flat index of the first largest real cell of window (i, j) of the plane at {@code base}, scanned row-major. */
    private static int argmax(float[] x, int base, Plan g, int i, int j) {
        int q0 = g.cols().lo()[j], q1 = g.cols().hi()[j], best = base + g.rows().lo()[i] * g.w() + q0;
        for (int r = g.rows().lo()[i]; r < g.rows().hi()[i]; r++) {
            int row = base + r * g.w();
            for (int q = q0; q < q1; q++) if (x[row + q] > x[best]) best = row + q;   // strictly greater: the first max wins
        }
        return best;
    }

    private static int argmax(double[] x, int base, Plan g, int i, int j) {
        int q0 = g.cols().lo()[j], q1 = g.cols().hi()[j], best = base + g.rows().lo()[i] * g.w() + q0;
        for (int r = g.rows().lo()[i]; r < g.rows().hi()[i]; r++) {
            int row = base + r * g.w();
            for (int q = q0; q < q1; q++) if (x[row + q] > x[best]) best = row + q;
        }
        return best;
    }

    static HostTensor maxForward(Backend backend, Kernels k, HostTensor x, Pool2d s, DType d) {
        Shape ys = s.outputShape(x.shape());
        Plan g = Plan.of(x.shape(), ys, s);
        // Every output is written below; pooled, like the backward pass's dx, rather than a fresh array per step (a
        // fresh 4.6 MB gradient of LeNet's conv1 every step was most of the run's allocation and its G1 collections).
        HostTensor y = Host.uncleared(backend, ys, d);
        if (d == DType.FLOAT32 && MaxPool2x2.applies(s)) {
            MaxPool2x2.forward(k, x.floats(), y.floats(), x.shape(), ys);
            return y;
        }
        g.forPlanes(p -> {
            int base = p * g.h() * g.w(), out = p * g.oh() * g.ow();
            for (int i = 0; i < g.oh(); i++) for (int j = 0; j < g.ow(); j++) {
                int yi = out + i * g.ow() + j;
                if (d == DType.FLOAT32) y.floats()[yi] = x.floats()[argmax(x.floats(), base, g, i, j)];
                else y.doubles()[yi] = x.doubles()[argmax(x.doubles(), base, g, i, j)];
            }
        });
        return y;
    }

    static HostTensor maxBackward(Backend backend, Kernels k, HostTensor dy, HostTensor x, Pool2d s, DType d) {
        if (d == DType.FLOAT32 && MaxPool2x2.applies(s)) {
            // Writes every cell, so not cleared first (clearing conv1's 4.6 MB gradient was 3% of a LeNet step).
            HostTensor dx = Host.uncleared(backend, x.shape(), d);
            MaxPool2x2.backward(k, dy.floats(), x.floats(), dx.floats(), x.shape(), dy.shape());
            return dx;
        }
        Plan g = Plan.of(x.shape(), dy.shape(), s);
        HostTensor dx = Host.zeros(backend, x.shape(), d);
        g.forPlanes(p -> {
            int base = p * g.h() * g.w(), out = p * g.oh() * g.ow();
            for (int i = 0; i < g.oh(); i++) for (int j = 0; j < g.ow(); j++) {
                int yi = out + i * g.ow() + j;
                if (d == DType.FLOAT32) dx.floats()[argmax(x.floats(), base, g, i, j)] += dy.floats()[yi];
                else dx.doubles()[argmax(x.doubles(), base, g, i, j)] += dy.doubles()[yi];
            }
        });
        return dx;
    }

    /** Forward: y = Σ window / divisor from {@code in} = x. Backward: every real cell gets dy / divisor, from {@code in} = dy. */
    static HostTensor average(Backend backend, HostTensor in, Shape xs, Shape ys, Pool2d s, DType d, boolean backward) {
        Plan g = Plan.of(xs, ys, s);
        HostTensor out = Host.zeros(backend, backward ? xs : ys, d);
        g.forPlanes(p -> {
            int base = p * g.h() * g.w(), first = p * g.oh() * g.ow();
            for (int i = 0; i < g.oh(); i++) for (int j = 0; j < g.ow(); j++) {
                int yi = first + i * g.ow() + j, r0 = g.rows().lo()[i], r1 = g.rows().hi()[i], q0 = g.cols().lo()[j], q1 = g.cols().hi()[j];
                double div = g.divisor(i, j);
                if (d == DType.FLOAT32) {
                    float[] a = in.floats(), b = out.floats();
                    if (backward) {
                        float v = (float) (a[yi] / div);
                        for (int r = r0; r < r1; r++) for (int q = q0; q < q1; q++) b[base + r * g.w() + q] += v;
                    } else {
                        double acc = 0;
                        for (int r = r0; r < r1; r++) for (int q = q0; q < q1; q++) acc += a[base + r * g.w() + q];
                        b[yi] = (float) (acc / div);
                    }
                } else {
                    double[] a = in.doubles(), b = out.doubles();
                    if (backward) {
                        double v = a[yi] / div;
                        for (int r = r0; r < r1; r++) for (int q = q0; q < q1; q++) b[base + r * g.w() + q] += v;
                    } else {
                        double acc = 0;
                        for (int r = r0; r < r1; r++) for (int q = q0; q < q1; q++) acc += a[base + r * g.w() + q];
                        b[yi] = acc / div;
                    }
                }
            }
        });
        return out;
    }
}
