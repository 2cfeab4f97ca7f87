package io.github.knetj.cpu;

import io.github.knetj.api.Conv2d;
import io.github.knetj.cpu.fast.Parallel;

/**
 * Zero-padded copies of images, for the strategies that read their panels straight from the image. The fused column
 * products read their panels straight from the image only without padding (a bounds test per element made the padded
 * 3×3 layer 1.4–2× slower), so a padded convolution copies each image into a padded buffer first: C·H'·W' floats,
 * against the kh·kw times larger column matrix that unfolding writes and reads back.
 */
final class Padding {
    private Padding() {}

    /** The same convolution on a zero-padded copy of the image, or g itself when it has no padding. */
    static Im2col.Geometry padded(Im2col.Geometry g) {
        Conv2d s = g.s();
        if (s.padH() == 0 && s.padW() == 0) return g;
        return new Im2col.Geometry(g.channels(), g.height() + 2 * s.padH(), g.width() + 2 * s.padW(), g.kh(), g.kw(), g.outH(), g.outW(),
                new Conv2d(s.strideH(), s.strideW(), 0, 0, s.dilationH(), s.dilationW()));
    }

    static int size(Im2col.Geometry g) { return g.channels() * g.height() * g.width(); }

    /** Every image of the batch at x, zero-padded as {@link #padded} says, one after another. */
    static float[] paddedImages(Im2col.Geometry g, float[] x, int batch) {
        int image = size(g), padded = size(padded(g));
        float[] out = new float[batch * padded];
        Parallel.forRange(batch, 1, (n0, n1) -> { for (int n = n0; n < n1; n++) padInto(g, x, n * image, out, n * padded); });
        return out;
    }

    /** Copies image x[xo ..] into the interior of the padded image at dst[off ..]; the border is never written, so it stays 0. */
    static float[] padInto(Im2col.Geometry g, float[] x, int xo, float[] dst, int off) {
        int ph = g.s().padH(), pw = g.s().padW(), h = g.height(), w = g.width(), wp = w + 2 * pw, hp = h + 2 * ph;
        for (int c = 0; c < g.channels(); c++)
            for (int i = 0; i < h; i++) System.arraycopy(x, xo + (c * h + i) * w, dst, off + (c * hp + i + ph) * wp + pw, w);
        return dst;
    }

    /** The interior of the padded image at src[off ..] into dx[xo ..] (the adjoint of {@link #padInto}). */
    static void cropFrom(Im2col.Geometry g, float[] src, int off, float[] dx, int xo) {
        int ph = g.s().padH(), pw = g.s().padW(), h = g.height(), w = g.width(), wp = w + 2 * pw, hp = h + 2 * ph;
        for (int c = 0; c < g.channels(); c++)
            for (int i = 0; i < h; i++) System.arraycopy(src, off + (c * hp + i + ph) * wp + pw, dx, xo + (c * h + i) * w, w);
    }
}
