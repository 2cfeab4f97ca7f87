package io.github.knetj.api;

/**
 * The geometry of 2-D pooling over NCHW tensors: window, stride and padding per axis. Max pooling never counts
 * padded cells; average pooling counts them in the divisor only when {@code countIncludePad}.
 * <p>
 * Output sizes are ⌊(in + 2·pad − window) / stride⌋ + 1 with a floor division in long arithmetic, and a window
 * larger than its padded input is refused here, for every backend alike (it once gave a silent 1×1 output, and average
 * pooling divided by cells that do not exist).
 */
public record Pool2d(int windowH, int windowW, int strideH, int strideW, int padH, int padW, boolean countIncludePad) {
    public Pool2d {
        // Named from the parameters: a compact constructor's fields are not assigned yet, so "this" would print zeros.
        String got = "window " + windowH + "x" + windowW + ", stride " + strideH + "x" + strideW + ", padding " + padH + "x" + padW;
        if (windowH < 1 || windowW < 1 || strideH < 1 || strideW < 1 || padH < 0 || padW < 0)
            throw new IllegalArgumentException("pool2d: window and stride must be >= 1 and padding >= 0, got " + got);
        if (padH * 2L > windowH || padW * 2L > windowW)
            throw new IllegalArgumentException("pool2d: padding must be at most half the window, got " + got);
    }

    /** Knet's default: the window is the stride, no padding. */
    public static Pool2d of(int window) { return new Pool2d(window, window, window, window, 0, 0, true); }

    public static Pool2d of(int window, int stride, int padding, boolean countIncludePad) {
        return new Pool2d(window, window, stride, stride, padding, padding, countIncludePad);
    }

    /** The output shape (N, C, Ho, Wo), or a clear error. */
    public Shape outputShape(Shape x) {
        if (x.rank() != 4) throw new IllegalArgumentException("pool2d: expected x (N,C,H,W), got " + x);
        long ho = Math.floorDiv(x.dim(2) + 2L * padH - windowH, (long) strideH) + 1;
        long wo = Math.floorDiv(x.dim(3) + 2L * padW - windowW, (long) strideW) + 1;
        if (ho < 1 || wo < 1)
            throw new IllegalArgumentException("pool2d: window " + windowH + "x" + windowW + " (stride " + strideH + "x" + strideW + ", padding "
                    + padH + "x" + padW + ") does not fit input x " + x + ": the output would be " + ho + "x" + wo);
        return Shape.of(x.dim(0), x.dim(1), (int) ho, (int) wo);
    }
}
