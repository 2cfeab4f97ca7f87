package io.github.knetj.layers.transformer;

import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.layers.LayerNorm;

/**
 * y = decoder(tgt, encoder(src)): the encoder-decoder transformer of Vaswani et al. (2017), PyTorch's
 * {@code nn.Transformer(batch_first=True)} with its {@code state_dict} names ({@code encoder.layers.0…},
 * {@code decoder.norm.weight}). {@code new Transformer(64, 4, 2, 2, 256, 0.1, new ReLU(), false)} prints as
 * {@code Transformer(encoder=2, decoder=2, 64, heads=4)}.
 */
public record Transformer(TransformerEncoder encoder, TransformerDecoder decoder) {
    /** As PyTorch's constructor: both stacks end in a LayerNorm. */
    public Transformer(int dim, int heads, int encoderLayers, int decoderLayers, int feedForward, double dropout, io.github.knetj.layers.Layer activation, boolean normFirst) {
        this(new TransformerEncoder(encoderLayers, i -> new TransformerEncoderLayer(dim, heads, feedForward, dropout, activation, normFirst), new LayerNorm(dim)),
                new TransformerDecoder(decoderLayers, i -> new TransformerDecoderLayer(dim, heads, feedForward, dropout, activation, normFirst), new LayerNorm(dim)));
    }

    /** src (B, S, E), tgt (B, T, E) and the additive masks of the encoder (B,h,S,S), the decoder's self-attention (B,h,T,T) and its cross-attention (B,h,T,S), any of them null. */
    public Value apply(Value src, Value tgt, Value srcMask, Value tgtMask, Value memoryMask) {
        return decoder.apply(tgt, encoder.apply(src, srcMask), tgtMask, memoryMask);
    }

    @Override public String toString() {
        TransformerEncoderLayer l = encoder.layers().get(0);
        return "Transformer(encoder=" + encoder.layers().size() + ", decoder=" + decoder.layers().size() + ", " + l.dim() + ", heads=" + l.self_attn().numHeads() + ")";
    }
}
