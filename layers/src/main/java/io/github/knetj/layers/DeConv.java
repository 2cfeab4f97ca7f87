package io.github.knetj.layers;

import io.github.knetj.api.Conv2d;
import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.NNOps;
import io.github.knetj.autograd.Ops;

import java.util.Objects;

/**
 * y = σ(Wᵀ ⋆ x + b): a transposed 2-D convolution (Knet's {@code deconv4}, PyTorch's ConvTranspose2d), the adjoint of
 * {@link Conv} with respect to its input, that grows images x (N, in, H, W) to (N, out, H', W') with
 * H' = (H − 1)·stride − 2·pad + dilation·(kh − 1) + outputPadding + 1; weights W (in, out, kh, kw) and bias
 * b (1, out, 1, 1).
 * <p>
 * The activation σ is {@link ReLU} unless given (null: none). {@code new DeConv(2, 2, 8, 4, 2, 0, new ReLU())} prints as
 * {@code DeConv((2, 2), 8 => 4, relu, stride=2)}.
 */
public record DeConv(Param w, Param b, Conv2d spec, int outputPadding, Activation f) implements Layer {
    public DeConv {
        if (w == null || w.shape().rank() != 4) throw new IllegalArgumentException("DeConv: w must be an (in, out, kh, kw) parameter, got " + (w == null ? null : w.shape()));
        if (b == null || !b.shape().equals(Shape.of(1, w.shape().dim(1), 1, 1)))
            throw new IllegalArgumentException("DeConv: b must have shape [1, " + w.shape().dim(1) + ", 1, 1] for w " + w.shape() + ", got " + (b == null ? null : b.shape()));
        Objects.requireNonNull(spec, "DeConv: spec");
        if (outputPadding < 0) throw new IllegalArgumentException("DeConv: outputPadding must be >= 0, got " + outputPadding);
    }

    /** A kh×kw kernel from in to out channels, stride 1, no padding, relu. */
    public DeConv(int kh, int kw, int in, int out) { this(kh, kw, in, out, new ReLU()); }

    /** A kh×kw kernel from in to out channels, stride 1, no padding, activation f (null: none). */
    public DeConv(int kh, int kw, int in, int out, Activation f) { this(kh, kw, in, out, 1, 0, f); }

    /** A kh×kw kernel with the same stride and padding on both axes (an upsampling by stride when kh = stride). */
    public DeConv(int kh, int kw, int in, int out, int stride, int padding, Activation f) {
        this(Init.param(Check.sizes("DeConv(" + kh + "x" + kw + ", " + in + " => " + out + ")", in, out, kh, kw)), Init.param0(1, out, 1, 1), Conv2d.of(stride, padding, 1), 0, f);
    }

    @Override public Value apply(Value x) {
        Check.rank(this, x, 4, "(N, " + w.shape().dim(0) + ", H, W)");
        Check.dim(this, x, 1, w.shape().dim(0), "(N, " + w.shape().dim(0) + ", H, W)");
        Check.sameKind(this, x, w);
        Value y = Ops.add(NNOps.deconv4(w, x, spec, outputPadding), b);
        return f == null ? y : f.apply(y);
    }

    @Override public String toString() {
        int[] s = w.shape().dims();
        return "DeConv((" + s[2] + ", " + s[3] + "), " + s[0] + " => " + s[1] + (f == null ? "" : ", " + f.name())
                + Conv.geometry(spec) + (outputPadding == 0 ? "" : ", outputPadding=" + outputPadding) + ")";
    }
}
