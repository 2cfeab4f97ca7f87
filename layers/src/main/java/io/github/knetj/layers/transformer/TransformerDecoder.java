package io.github.knetj.layers.transformer;

import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.layers.LayerNorm;

import java.util.List;
import java.util.function.IntFunction;

/**
 * y = norm(layerₙ(… layer₁(x, m), m)): a stack of decoder layers over the encoder's memory m with an optional final
 * LayerNorm (null: none), PyTorch's {@code nn.TransformerDecoder}, named as its {@code state_dict}.
 */
public record TransformerDecoder(List<TransformerDecoderLayer> layers, LayerNorm norm) {
    public TransformerDecoder {
        if (layers.isEmpty()) throw new IllegalArgumentException("TransformerDecoder: needs at least one layer");
        layers = List.copyOf(layers);
    }

    public TransformerDecoder(int n, IntFunction<TransformerDecoderLayer> make, LayerNorm norm) { this(TransformerEncoder.build(n, make), norm); }

    /** The stack on the target x (B, T, E) over memory (B, S, E) with the two additive masks (or nulls). */
    public Value apply(Value x, Value memory, Value targetMask, Value memoryMask) {
        for (TransformerDecoderLayer l : layers) x = l.apply(x, memory, targetMask, memoryMask);
        return norm == null ? x : norm.apply(x);
    }

    @Override public String toString() { return "TransformerDecoder(" + layers.size() + " × " + layers.get(0) + (norm == null ? "" : ", " + norm) + ")"; }
}
