package io.github.knetj.layers;

import io.github.knetj.api.Conv2d;
import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.NNOps;

import java.util.Objects;

/**
 * y = σ(W ⋆ x + b): a 2-D convolution (cross-correlation, as in PyTorch) of images x (N, in, H, W) with weights
 * W (out, in, kh, kw) (OIHW) and a bias b (1, out, 1, 1) broadcast over the batch and the pixels, then an activation
 * (Knet's {@code conv4}; KnetLayers' {@code Conv}).
 * <p>
 * The activation σ is {@link ReLU} unless given (null: none). {@code new Conv(5, 5, 1, 20)} prints as
 * {@code Conv((5, 5), 1 => 20, relu)}; stride, padding and dilation, when not 1, 0 and 1, are printed after it.
 */
public record Conv(Param w, Param b, Conv2d spec, Activation f) implements Layer {
    public Conv {
        if (w == null || w.shape().rank() != 4) throw new IllegalArgumentException("Conv: w must be an (out, in, kh, kw) parameter, got " + (w == null ? null : w.shape()));
        if (b == null || !b.shape().equals(Shape.of(1, w.shape().dim(0), 1, 1)))
            throw new IllegalArgumentException("Conv: b must have shape [1, " + w.shape().dim(0) + ", 1, 1] for w " + w.shape() + ", got " + (b == null ? null : b.shape()));
        Objects.requireNonNull(spec, "Conv: spec");
    }

    /** A kh×kw kernel from in to out channels, stride 1, no padding, relu. */
    public Conv(int kh, int kw, int in, int out) { this(kh, kw, in, out, new ReLU()); }

    /** A kh×kw kernel from in to out channels, stride 1, no padding, activation f (null: none). */
    public Conv(int kh, int kw, int in, int out, Activation f) { this(kh, kw, in, out, 1, 0, 1, f); }

    /** Every option: the same stride, zero padding and dilation on both axes. */
    public Conv(int kh, int kw, int in, int out, int stride, int padding, int dilation, Activation f) {
        this(Init.param(Check.sizes("Conv(" + kh + "x" + kw + ", " + in + " => " + out + ")", out, in, kh, kw)), Init.param0(1, out, 1, 1), Conv2d.of(stride, padding, dilation), f);
    }

    @Override public Value apply(Value x) {
        check(x);
        Value y = NNOps.conv4(w, x, b, spec);
        return f == null ? y : f.apply(y);
    }

    /**
     * {@code pool.apply(apply(x))} for a convolution without activation followed by max pooling, in one call
     * ({@link NNOps#conv4pool}): the same values and gradients, each image pooled while its outputs are in cache.
     * {@link Chain} takes it for such a pair.
     */
    Value applyPooled(Value x, Pool pool) {
        if (!pools(pool)) throw new IllegalArgumentException(this + " then " + pool + ": only a convolution without activation followed by max pooling runs as one");
        check(x);
        return NNOps.conv4pool(w, x, b, spec, pool.spec());
    }

    /** Whether {@link #applyPooled} takes this layer followed by {@code next}. */
    boolean pools(Layer next) { return f == null && next instanceof Pool p && p.mode() == Pool.Mode.MAX; }

    private void check(Value x) {
        Check.rank(this, x, 4, "(N, " + w.shape().dim(1) + ", H, W)");
        Check.dim(this, x, 1, w.shape().dim(1), "(N, " + w.shape().dim(1) + ", H, W)");
        Check.sameKind(this, x, w);
    }

    @Override public String toString() {
        int[] s = w.shape().dims();
        return "Conv((" + s[2] + ", " + s[3] + "), " + s[1] + " => " + s[0] + (f == null ? "" : ", " + f.name()) + geometry(spec) + ")";
    }

    /** ", stride=2, pad=1" for the options that differ from the defaults; shared with {@link DeConv}. */
    static String geometry(Conv2d c) {
        StringBuilder sb = new StringBuilder();
        if (c.strideH() != 1 || c.strideW() != 1) sb.append(", stride=").append(Check.pair(c.strideH(), c.strideW()));
        if (c.padH() != 0 || c.padW() != 0) sb.append(", pad=").append(Check.pair(c.padH(), c.padW()));
        if (c.dilationH() != 1 || c.dilationW() != 1) sb.append(", dilation=").append(Check.pair(c.dilationH(), c.dilationW()));
        return sb.toString();
    }
}
