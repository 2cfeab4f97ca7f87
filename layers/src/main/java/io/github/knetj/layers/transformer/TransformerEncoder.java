package io.github.knetj.layers.transformer;

import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.layers.Layer;
import io.github.knetj.layers.LayerNorm;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * y = norm(layerₙ(… layer₁(x))): a stack of encoder layers with an optional final LayerNorm (null: none), PyTorch's
 * {@code nn.TransformerEncoder}, named as its {@code state_dict} ({@code layers.0.self_attn.in_proj_weight}, …,
 * {@code norm.weight}). {@code new TransformerEncoder(2, i -> new TransformerEncoderLayer(...), null)} prints as
 * {@code TransformerEncoder(2 × TransformerEncoderLayer(...))}.
 */
public record TransformerEncoder(List<TransformerEncoderLayer> layers, LayerNorm norm) implements Layer {
    public TransformerEncoder {
        if (layers.isEmpty()) throw new IllegalArgumentException("TransformerEncoder: needs at least one layer");
        layers = List.copyOf(layers);
    }

    /** n layers made by {@code make(i)}, with a final norm or none. */
    public TransformerEncoder(int n, IntFunction<TransformerEncoderLayer> make, LayerNorm norm) { this(build(n, make), norm); }

    static <T> List<T> build(int n, IntFunction<T> make) {
        List<T> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(make.apply(i));
        return out;
    }

    @Override public Value apply(Value x) { return apply(x, null); }

    /** The stack on x (B, T, E), every layer under the same additive mask (or null). */
    public Value apply(Value x, Value mask) {
        for (TransformerEncoderLayer l : layers) x = l.apply(x, mask);
        return norm == null ? x : norm.apply(x);
    }

    @Override public String toString() { return "TransformerEncoder(" + layers.size() + " × " + layers.get(0) + (norm == null ? "" : ", " + norm) + ")"; }
}
