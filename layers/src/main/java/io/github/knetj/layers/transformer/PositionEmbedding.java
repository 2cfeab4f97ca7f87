package io.github.knetj.layers.transformer;

import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Ops;
import io.github.knetj.layers.Init;
import io.github.knetj.layers.Layer;

/**
 * y[b, t] = x[b, t] + P[offset + t]: learned absolute positions (GPT's {@code wpe}), a table P (maxLength, E)
 * named {@code weight} as in PyTorch's {@code nn.Embedding}, initialised N(0, 1) like it.
 * {@code new PositionEmbedding(64, 128)} prints as {@code PositionEmbedding(64 => 128)}.
 */
public record PositionEmbedding(Param weight) implements Layer {
    public PositionEmbedding {
        if (weight == null || weight.shape().rank() != 2) throw new IllegalArgumentException("PositionEmbedding: weight must be a (maxLength, dim) parameter, got " + (weight == null ? null : weight.shape()));
    }

    public PositionEmbedding(int maxLength, int dim) { this(new Param(Init.gaussian(1, maxLength, dim))); }

    public int maxLength() { return weight.shape().dim(0); }

    public int dim() { return weight.shape().dim(1); }

    @Override public Value apply(Value x) { return apply(x, 0); }

    /** x (B, T, E) plus the positions offset … offset + T − 1 (offset: how many positions came before, as in cached sampling). */
    public Value apply(Value x, int offset) {
        int t = x.shape().rank() == 3 ? x.shape().dim(1) : -1;
        if (t < 0 || x.shape().dim(2) != dim() || offset < 0 || offset + t > maxLength())
            throw new IllegalArgumentException(this + ": expected x (B, T, " + dim() + ") with offset + T ≤ " + maxLength() + ", got " + x.shape() + " at offset " + offset);
        return Ops.add(x, Ops.slice(weight, 0, offset, offset + t));
    }

    @Override public String toString() { return "PositionEmbedding(" + maxLength() + " => " + dim() + ")"; }
}
