package io.github.knetj.layers.transformer;

import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Ops;
import io.github.knetj.layers.Embed;
import io.github.knetj.layers.Layer;

/**
 * y = x Eᵀ + b: an output head that shares the embedding table E (vocab, D) of the input (weight tying, Press and
 * Wolf 2017), so the model learns one vector per token; only the bias (vocab) is its own. x is (N, D) rows.
 * {@code new TiedOutput(embed)} prints as {@code TiedOutput(64 => 65, tied to Embed(65 => 64))}.
 */
public record TiedOutput(Embed embed, Param bias) implements Layer {
    public TiedOutput {
        if (bias != null && (bias.shape().rank() != 1 || bias.shape().dim(0) != embed.vocab()))
            throw new IllegalArgumentException("TiedOutput: the bias must have shape [" + embed.vocab() + "] for " + embed + ", got " + bias.shape());
    }

    /** A zero bias. */
    public TiedOutput(Embed embed) { this(embed, io.github.knetj.layers.Init.param0(embed.vocab())); }

    @Override public Value apply(Value x) {
        if (x.shape().rank() != 2 || x.shape().dim(1) != embed.dim())
            throw new IllegalArgumentException(this + ": expected rows (N, " + embed.dim() + "), got " + x.shape());
        return Ops.linear(x, embed.table(), bias);
    }

    @Override public String toString() { return "TiedOutput(" + embed.dim() + " => " + embed.vocab() + ", tied to " + embed + ")"; }
}
