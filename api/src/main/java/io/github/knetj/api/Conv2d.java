package io.github.knetj.api;

/**
 * The geometry of a 2-D convolution (cross-correlation, as in PyTorch and cuDNN): stride, zero padding and dilation
 * per spatial axis. Inputs are NCHW, weights OIHW.
 * <p>
 * Output sizes are ⌊(in + 2·pad − dilation·(k − 1) − 1) / stride⌋ + 1, computed in long arithmetic with a floor
 * division: Java's {@code /} rounds toward zero, which turned a kernel larger than its input into a 1×1 output on some
 * backends and an index out of bounds on another. A size below 1 is refused here, for every backend alike.
 */
public record Conv2d(int strideH, int strideW, int padH, int padW, int dilationH, int dilationW) {
    public Conv2d {
        // Named from the parameters: a compact constructor's fields are not assigned yet, so "this" would print zeros.
        if (strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1 || padH < 0 || padW < 0)
            throw new IllegalArgumentException("conv2d: stride and dilation must be >= 1 and padding >= 0, got stride " + strideH + "x" + strideW
                    + ", padding " + padH + "x" + padW + ", dilation " + dilationH + "x" + dilationW);
    }

    /** Stride 1, no padding, no dilation. */
    public static Conv2d defaults() { return new Conv2d(1, 1, 0, 0, 1, 1); }

    /** The same stride, padding and dilation on both axes. */
    public static Conv2d of(int stride, int padding, int dilation) { return new Conv2d(stride, stride, padding, padding, dilation, dilation); }

    /** Output size along one axis, ⌊(in + 2·pad − dilation·(kernel − 1) − 1) / stride⌋ + 1; may be 0 or negative (callers refuse it). */
    public static long outSize(long in, long kernel, long stride, long pad, long dilation) {
        return Math.floorDiv(in + 2 * pad - dilation * (kernel - 1) - 1, stride) + 1;
    }

    /** The output shape (N, O, Ho, Wo) of x (N, C, H, W) convolved with w (O, C, kh, kw), or a clear error. */
    public Shape outputShape(Shape x, Shape w) {
        if (x.rank() != 4 || w.rank() != 4 || x.dim(1) != w.dim(1))
            throw new IllegalArgumentException("conv2d: expected x (N,C,H,W) and w (O,C,kh,kw) with equal C, got x " + x + " and w " + w);
        if (w.dim(2) < 1 || w.dim(3) < 1)
            throw new IllegalArgumentException("conv2d: kernel w " + w + " has an empty spatial size");
        long ho = outSize(x.dim(2), w.dim(2), strideH, padH, dilationH);
        long wo = outSize(x.dim(3), w.dim(3), strideW, padW, dilationW);
        if (ho < 1 || wo < 1)
            throw new IllegalArgumentException("conv2d: kernel " + w.dim(2) + "x" + w.dim(3) + " of w " + w + " does not fit input x " + x + " with " + this
                    + ": the output would be " + ho + "x" + wo + " (padded input " + (x.dim(2) + 2L * padH) + "x" + (x.dim(3) + 2L * padW)
                    + " against a dilated kernel of " + (dilationH * (w.dim(2) - 1L) + 1) + "x" + (dilationW * (w.dim(3) - 1L) + 1) + ")");
        return Shape.of(x.dim(0), w.dim(0), (int) ho, (int) wo);
    }

    /**
     * The output shape of a transposed convolution of x (N, Cin, H, W) with w (Cin, Cout, kh, kw):
     * (H−1)·stride − 2·pad + dilation·(kh−1) + outputPadding + 1, refused when it is below 1 or the output padding is
     * not in [0, max(stride, dilation)) as PyTorch requires.
     */
    public Shape transposedOutputShape(Shape x, Shape w, int outPadH, int outPadW) {
        if (x.rank() != 4 || w.rank() != 4 || x.dim(1) != w.dim(0))
            throw new IllegalArgumentException("conv_transpose2d: expected x (N,Cin,H,W) and w (Cin,Cout,kh,kw) with equal Cin, got x " + x + " and w " + w);
        if (outPadH < 0 || outPadW < 0 || outPadH >= Math.max(strideH, dilationH) || outPadW >= Math.max(strideW, dilationW))
            throw new IllegalArgumentException("conv_transpose2d: output padding " + outPadH + "x" + outPadW + " must be >= 0 and smaller than the stride or the dilation, with " + this);
        long h = (x.dim(2) - 1L) * strideH - 2L * padH + (long) dilationH * (w.dim(2) - 1) + outPadH + 1;
        long wd = (x.dim(3) - 1L) * strideW - 2L * padW + (long) dilationW * (w.dim(3) - 1) + outPadW + 1;
        if (h < 1 || wd < 1 || h > Integer.MAX_VALUE || wd > Integer.MAX_VALUE)
            throw new IllegalArgumentException("conv_transpose2d: x " + x + " and w " + w + " with " + this + " give an output of " + h + "x" + wd
                    + ", expected each size in [1, 2^31)");
        return Shape.of(x.dim(0), w.dim(1), (int) h, (int) wd);
    }
}
