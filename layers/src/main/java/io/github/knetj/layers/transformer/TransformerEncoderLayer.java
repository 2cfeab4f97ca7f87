package io.github.knetj.layers.transformer;

import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Ops;
import io.github.knetj.layers.Dropout;
import io.github.knetj.layers.GELU;
import io.github.knetj.layers.Layer;
import io.github.knetj.layers.LayerNorm;
import io.github.knetj.layers.Linear;
import io.github.knetj.layers.ReLU;

/**
 * Post-LN: x ← norm1(x + SA(x)), x ← norm2(x + FF(x)); pre-LN ({@code normFirst}): x ← x + SA(norm1(x)),
 * x ← x + FF(norm2(x)); with SA multi-head self-attention and FF(x) = linear2(dropout(act(linear1(x)))), each
 * sub-block's output dropped out before it joins the residual stream: PyTorch's
 * {@code nn.TransformerEncoderLayer(batch_first=True)} (Vaswani et al. 2017; pre-LN as Xiong et al. 2020).
 * <p>
 * Components are named as its {@code state_dict} (self_attn, linear1, linear2, norm1, norm2), so a PyTorch
 * checkpoint loads through {@link StateDict} with no renaming. {@code new TransformerEncoderLayer(64, 4, 256, 0.1,
 * new GELU(), true)} prints as {@code TransformerEncoderLayer(64, heads=4, ff=256, dropout=0.1, gelu, pre-LN)}.
 */
public record TransformerEncoderLayer(MultiheadAttention self_attn, Linear linear1, Linear linear2, LayerNorm norm1, LayerNorm norm2,
                                      Dropout dropout, Layer activation, boolean normFirst) implements Layer {
    public TransformerEncoderLayer {
        int e = self_attn.dim();
        if (linear1.in() != e || linear2.out() != e || linear2.in() != linear1.out() || norm1.dim() != e || norm2.dim() != e)
            throw new IllegalArgumentException("TransformerEncoderLayer: for E = " + e + " expected linear1 E => F, linear2 F => E and norms of E, got "
                    + linear1 + ", " + linear2 + ", " + norm1 + ", " + norm2);
    }

    /** PyTorch's defaults for the parts: Xavier-uniform weights, zero biases, unit norms. */
    public TransformerEncoderLayer(int dim, int heads, int feedForward, double dropout, Layer activation, boolean normFirst) {
        this(new MultiheadAttention(dim, heads, dropout), new Linear(dim, feedForward), new Linear(feedForward, dim),
                new LayerNorm(dim), new LayerNorm(dim), new Dropout(dropout), activation, normFirst);
    }

    public int dim() { return self_attn.dim(); }

    @Override public Value apply(Value x) { return apply(x, null); }

    /** The layer on x (B, T, E) with an additive self-attention mask (or null). */
    public Value apply(Value x, Value mask) {
        if (normFirst) {
            x = Ops.add(x, dropout.apply(self_attn.apply(norm1.apply(x), mask)));
            return Ops.add(x, dropout.apply(feedForward(norm2.apply(x))));
        }
        x = norm1.apply(Ops.add(x, dropout.apply(self_attn.apply(x, mask))));
        return norm2.apply(Ops.add(x, dropout.apply(feedForward(x))));
    }

    /** The pre-LN layer on the newest positions x (B, Tn, E), attending through the cache (see {@link MultiheadAttention#attendCached}). */
    public Value applyCached(Value x, KVCache cache) {
        if (!normFirst) throw new IllegalStateException(this + ": cached application is written for pre-LN layers");
        x = Ops.add(x, self_attn.attendCached(norm1.apply(x), cache));
        return Ops.add(x, feedForward(norm2.apply(x)));
    }

    /** linear2(dropout(act(linear1(x)))) on every position of x (..., E). */
    Value feedForward(Value x) { return FeedForward.apply(linear1, activation, dropout, linear2, x); }

    @Override public String toString() {
        return "TransformerEncoderLayer(" + dim() + ", heads=" + self_attn.numHeads() + ", ff=" + linear1.out() + ", dropout=" + dropout.p()
                + ", " + FeedForward.name(activation) + ", " + (normFirst ? "pre-LN" : "post-LN") + ")";
    }
}
