package io.github.knetj.api;

/**
 * The geometry of 2-D pooling over NCHW tensors: window, stride and padding per axis. Max pooling never counts
 * padded cells; average pooling counts them in the divisor only when {@code countIncludePad}.
 */
public record Pool2d(int windowH, int windowW, int strideH, int strideW, int padH, int padW, boolean countIncludePad) {
    public Pool2d {
        if (windowH < 1 || windowW < 1 || strideH < 1 || strideW < 1 || padH < 0 || padW < 0)
            throw new IllegalArgumentException("pool2d: window and stride must be >= 1 and padding >= 0, got " + this);
        if (padH * 2 > windowH || padW * 2 > windowW)
            throw new IllegalArgumentException("pool2d: padding must be at most half the window, got " + this);
    }

    /** Knet's default: the window is the stride, no padding. */
    public static Pool2d of(int window) { return new Pool2d(window, window, window, window, 0, 0, true); }

    public static Pool2d of(int window, int stride, int padding, boolean countIncludePad) {
        return new Pool2d(window, window, stride, stride, padding, padding, countIncludePad);
    }

    /** The output shape (N, C, Ho, Wo), or a clear error. */
    public Shape outputShape(Shape x) {
        if (x.rank() != 4) throw new IllegalArgumentException("pool2d: expected x (N,C,H,W), got " + x);
        int ho = (x.dim(2) + 2 * padH - windowH) / strideH + 1;
        int wo = (x.dim(3) + 2 * padW - windowW) / strideW + 1;
        if (ho < 1 || wo < 1) throw new IllegalArgumentException("pool2d: window " + this + " does not fit input " + x);
        return Shape.of(x.dim(0), x.dim(1), ho, wo);
    }
}
