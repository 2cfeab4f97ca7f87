package io.github.knetj.layers.transformer;

import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Ops;
import io.github.knetj.layers.Dropout;
import io.github.knetj.layers.Layer;
import io.github.knetj.layers.LayerNorm;
import io.github.knetj.layers.Linear;

/**
 * Post-LN: x ← norm1(x + SA(x)), x ← norm2(x + CA(x, m)), x ← norm3(x + FF(x)); pre-LN ({@code normFirst}):
 * x ← x + SA(norm1(x)), x ← x + CA(norm2(x), m), x ← x + FF(norm3(x)); SA self-attention over the target x, CA
 * cross-attention from x to the encoder's memory m, FF(x) = linear2(dropout(act(linear1(x)))): PyTorch's
 * {@code nn.TransformerDecoderLayer(batch_first=True)}, its components named as that layer's {@code state_dict}.
 * <p>
 * {@code new TransformerDecoderLayer(64, 4, 256, 0.1, new ReLU(), false)} prints as
 * {@code TransformerDecoderLayer(64, heads=4, ff=256, dropout=0.1, relu, post-LN)}.
 */
public record TransformerDecoderLayer(MultiheadAttention self_attn, MultiheadAttention multihead_attn, Linear linear1, Linear linear2,
                                      LayerNorm norm1, LayerNorm norm2, LayerNorm norm3, Dropout dropout, Layer activation, boolean normFirst) {
    public TransformerDecoderLayer {
        int e = self_attn.dim();
        if (multihead_attn.dim() != e || linear1.in() != e || linear2.out() != e || linear2.in() != linear1.out() || norm1.dim() != e || norm2.dim() != e || norm3.dim() != e)
            throw new IllegalArgumentException("TransformerDecoderLayer: for E = " + e + " expected attention of E, linear1 E => F, linear2 F => E and norms of E, got "
                    + multihead_attn + ", " + linear1 + ", " + linear2 + ", " + norm1 + ", " + norm2 + ", " + norm3);
    }

    public TransformerDecoderLayer(int dim, int heads, int feedForward, double dropout, Layer activation, boolean normFirst) {
        this(new MultiheadAttention(dim, heads, dropout), new MultiheadAttention(dim, heads, dropout), new Linear(dim, feedForward), new Linear(feedForward, dim),
                new LayerNorm(dim), new LayerNorm(dim), new LayerNorm(dim), new Dropout(dropout), activation, normFirst);
    }

    public int dim() { return self_attn.dim(); }

    /**
     * The layer on the target x (B, T, E) over the encoder's memory (B, S, E), with additive masks for the
     * self-attention (broadcastable to (B, h, T, T)) and the cross-attention (to (B, h, T, S)); either may be null.
     */
    public Value apply(Value x, Value memory, Value targetMask, Value memoryMask) {
        if (normFirst) {
            x = Ops.add(x, dropout.apply(self_attn.apply(norm1.apply(x), targetMask)));
            x = Ops.add(x, dropout.apply(cross(norm2.apply(x), memory, memoryMask)));
            return Ops.add(x, dropout.apply(FeedForward.apply(linear1, activation, dropout, linear2, norm3.apply(x))));
        }
        x = norm1.apply(Ops.add(x, dropout.apply(self_attn.apply(x, targetMask))));
        x = norm2.apply(Ops.add(x, dropout.apply(cross(x, memory, memoryMask))));
        return norm3.apply(Ops.add(x, dropout.apply(FeedForward.apply(linear1, activation, dropout, linear2, x))));
    }

    private Value cross(Value x, Value memory, Value mask) { return multihead_attn.attend(x, memory, memory, mask, false).y(); }

    @Override public String toString() {
        return "TransformerDecoderLayer(" + dim() + ", heads=" + self_attn.numHeads() + ", ff=" + linear1.out() + ", dropout=" + dropout.p()
                + ", " + FeedForward.name(activation) + ", " + (normFirst ? "pre-LN" : "post-LN") + ")";
    }
}
