package io.github.knetj.cpu.fast;

import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Shape;
import io.github.knetj.cpu.Host;
import io.github.knetj.cpu.Kernels;

/**
 * Float32 max pooling for the common 2×2 window with stride 2 and no padding, forward and backward. The windows tile
 * the plane without overlap, so there are no range tables, and the backward pass writes each window's four cells
 * whole: its gradient at the maximum, zero elsewhere (no other window touches them), and zero in the last row or
 * column that no window covers when a side is odd; dx needs no clearing first. Ties go to the first cell in row-major order and a
 * later cell wins only when strictly greater, as in {@code Pooling}, so every path agrees bit for bit. The plane loops
 * are {@link Kernels#maxPool2x2} (scalar here, SIMD in {@link FloatPoolLoops}): with random data the scalar compares
 * mispredict about half the time, which the SIMD compare-and-blend avoids.
 */
public final class MaxPool2x2 {
    private MaxPool2x2() {}

    /** Whether {@code s} is the 2×2, stride 2, unpadded window this class handles. */
    public static boolean applies(Pool2d s) {
        return s.windowH() == 2 && s.windowW() == 2 && s.strideH() == 2 && s.strideW() == 2 && s.padH() == 0 && s.padW() == 0;
    }

    /** y[p, i, j] = max of the window (2i.., 2j..) of plane p, for x of shape xs and y of shape ys. */
    public static void forward(Kernels k, float[] x, float[] y, Shape xs, Shape ys) {
        int h = xs.dim(2), w = xs.dim(3), oh = ys.dim(2), ow = ys.dim(3);
        Parallel.forRange(xs.dim(0) * xs.dim(1), Host.grain((long) h * w), (p0, p1) -> k.maxPool2x2(x, y, p0, p1, h, w, oh, ow));
    }

    /** dx (any contents on entry) is written whole: dy[p, i, j] at the first maximum of window (i, j) of plane p, else 0. */
    public static void backward(Kernels k, float[] dy, float[] x, float[] dx, Shape xs, Shape ys) {
        int h = xs.dim(2), w = xs.dim(3), oh = ys.dim(2), ow = ys.dim(3);
        Parallel.forRange(xs.dim(0) * xs.dim(1), Host.grain((long) h * w), (p0, p1) -> k.maxPool2x2Backward(x, dy, dx, p0, p1, h, w, oh, ow));
    }

    /** The scalar forward loop over planes [p0, p1): each window's first strict maximum. */
    public static void forwardPlanes(float[] x, float[] y, int p0, int p1, int h, int w, int oh, int ow) {
        for (int p = p0; p < p1; p++) {
            for (int i = 0; i < oh; i++) {
                int top = p * h * w + 2 * i * w, out = (p * oh + i) * ow;
                for (int j = 0; j < ow; j++) y[out + j] = x[top + 2 * j + argmax(x, top + 2 * j, w)];
            }
        }
    }

    /** The scalar backward loop over planes [p0, p1). */
    public static void backwardPlanes(float[] x, float[] dy, float[] dx, int p0, int p1, int h, int w, int oh, int ow) {
        for (int p = p0; p < p1; p++) {
            for (int i = 0; i < oh; i++) {
                int top = p * h * w + 2 * i * w, out = (p * oh + i) * ow;
                for (int j = 0; j < ow; j++) window(x, dy[out + j], dx, top + 2 * j, w);
            }
            clearUncovered(dx, p, h, w, oh, ow);
        }
    }

    /**
     * Writes the four cells of the window whose top-left cell is at {@code at}: g at its first maximum, else 0. The
     * gradient lands as 0 + g, as an add into a cleared dx would, so a −0 gradient becomes +0 on every path.
     */
    static void window(float[] x, float g, float[] dx, int at, int w) {
        int best = argmax(x, at, w);
        float v = 0f + g;
        dx[at] = best == 0 ? v : 0f;
        dx[at + 1] = best == 1 ? v : 0f;
        dx[at + w] = best == w ? v : 0f;
        dx[at + w + 1] = best == w + 1 ? v : 0f;
    }

    /** Zeroes the cells of plane p that no window covers: the last column when w is odd, the last row when h is odd. */
    static void clearUncovered(float[] dx, int p, int h, int w, int oh, int ow) {
        int base = p * h * w;
        if (w > 2 * ow) for (int r = 0; r < 2 * oh; r++) java.util.Arrays.fill(dx, base + r * w + 2 * ow, base + (r + 1) * w, 0f);
        if (h > 2 * oh) java.util.Arrays.fill(dx, base + 2 * oh * w, base + h * w, 0f);
    }

    /** The offset (0, 1, w or w + 1) of the first strict maximum of the window whose top-left cell is x[at]. */
    static int argmax(float[] x, int at, int w) {
        int best = 0;
        if (x[at + 1] > x[at]) best = 1;
        if (x[at + w] > x[at + best]) best = w;
        if (x[at + w + 1] > x[at + best]) best = w + 1;
        return best;
    }
}
