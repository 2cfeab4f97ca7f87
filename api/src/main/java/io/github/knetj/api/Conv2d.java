package io.github.knetj.api;

/**
 * The geometry of a 2-D convolution (cross-correlation, as in PyTorch and cuDNN): stride, zero padding and dilation
 * per spatial axis. Inputs are NCHW, weights OIHW.
 */
public record Conv2d(int strideH, int strideW, int padH, int padW, int dilationH, int dilationW) {
    public Conv2d {
        if (strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1 || padH < 0 || padW < 0)
            throw new IllegalArgumentException("conv2d: stride and dilation must be >= 1 and padding >= 0, got " + this);
    }

    /** Stride 1, no padding, no dilation. */
    public static Conv2d defaults() { return new Conv2d(1, 1, 0, 0, 1, 1); }

    /** The same stride, padding and dilation on both axes. */
    public static Conv2d of(int stride, int padding, int dilation) { return new Conv2d(stride, stride, padding, padding, dilation, dilation); }

    /** Output size along one axis. */
    public static int outSize(int in, int kernel, int stride, int pad, int dilation) {
        return (in + 2 * pad - dilation * (kernel - 1) - 1) / stride + 1;
    }

    /** The output shape (N, O, Ho, Wo) of x (N, C, H, W) convolved with w (O, C, kh, kw), or a clear error. */
    public Shape outputShape(Shape x, Shape w) {
        if (x.rank() != 4 || w.rank() != 4 || x.dim(1) != w.dim(1))
            throw new IllegalArgumentException("conv2d: expected x (N,C,H,W) and w (O,C,kh,kw) with equal C, got x " + x + " and w " + w);
        int ho = outSize(x.dim(2), w.dim(2), strideH, padH, dilationH);
        int wo = outSize(x.dim(3), w.dim(3), strideW, padW, dilationW);
        if (ho < 1 || wo < 1)
            throw new IllegalArgumentException("conv2d: kernel " + w + " with " + this + " does not fit input " + x);
        return Shape.of(x.dim(0), w.dim(0), ho, wo);
    }

    /**
     * The output shape of a transposed convolution of x (N, Cin, H, W) with w (Cin, Cout, kh, kw):
     * (H−1)·stride − 2·pad + dilation·(kh−1) + outputPadding + 1.
     */
    public Shape transposedOutputShape(Shape x, Shape w, int outPadH, int outPadW) {
        if (x.rank() != 4 || w.rank() != 4 || x.dim(1) != w.dim(0))
            throw new IllegalArgumentException("conv_transpose2d: expected x (N,Cin,H,W) and w (Cin,Cout,kh,kw) with equal Cin, got x " + x + " and w " + w);
        int h = (x.dim(2) - 1) * strideH - 2 * padH + dilationH * (w.dim(2) - 1) + outPadH + 1;
        int wd = (x.dim(3) - 1) * strideW - 2 * padW + dilationW * (w.dim(3) - 1) + outPadW + 1;
        return Shape.of(x.dim(0), w.dim(1), h, wd);
    }
}
