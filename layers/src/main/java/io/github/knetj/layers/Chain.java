package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad.Value;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * y = fₙ(…f₂(f₁(x))): layers applied in order (Knet's and Flux's {@code Chain}), indexed with {@link #get} and cut with
 * {@link #slice} into smaller chains that share the same layers and parameters.
 * <p>
 * It prints one layer per line:
 * <pre>
 * Chain(
 *   Dense(2 => 8, relu),
 *   Dense(8 => 1),
 * )</pre>
 */
public class Chain implements Layer {
    private final List<Layer> layers;

    public Chain(Layer... layers) { this(Arrays.asList(layers)); }

    public Chain(List<? extends Layer> layers) {
        for (int i = 0; i < layers.size(); i++) Objects.requireNonNull(layers.get(i), "Chain: layer " + i + " is null");
        this.layers = List.copyOf(layers);
    }

    /**
     * Applies the layers in order. A {@link Conv} without activation followed by a max {@link Pool} runs as one call
     * (the same values and gradients; see {@link Conv#applyPooled}).
     */
    @Override public Value apply(Value x) {
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (l instanceof Conv c && i + 1 < layers.size() && c.pools(layers.get(i + 1))) x = c.applyPooled(x, (Pool) layers.get(++i));
            else x = l.apply(x);
        }
        return x;
    }

    /** The i-th layer (from 0). */
    public Layer get(int i) {
        if (i < 0 || i >= layers.size()) throw new IndexOutOfBoundsException(getClass().getSimpleName() + ".get: index " + i + " is outside [0, " + layers.size() + ")");
        return layers.get(i);
    }

    /** Layers from ≤ i &lt; to, as a chain holding the same layers (and so the same parameters). */
    public Chain slice(int from, int to) {
        if (from < 0 || to > layers.size() || from > to)
            throw new IndexOutOfBoundsException(getClass().getSimpleName() + ".slice: [" + from + ", " + to + ") is not within [0, " + layers.size() + "]");
        return new Chain(layers.subList(from, to));
    }

    public int size() { return layers.size(); }

    /** The layers, in order (unmodifiable). */
    public List<Layer> layers() { return layers; }

    /** Forces every {@link TrainingMode} part of this chain into training: see {@link Layers#setTraining}. */
    public Chain train() { Layers.setTraining(this, true); return this; }

    /** Forces every {@link TrainingMode} part of this chain into evaluation: see {@link Layers#setTraining}. */
    public Chain eval() { Layers.setTraining(this, false); return this; }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder("Chain(\n");
        for (Layer l : layers) sb.append("  ").append(l.toString().replace("\n", "\n  ")).append(",\n");
        return sb.append(')').toString();
    }
}
