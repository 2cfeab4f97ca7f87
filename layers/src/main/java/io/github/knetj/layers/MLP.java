package io.github.knetj.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * y = Wₙ(…σ(W₂ σ(W₁ x + b₁) + b₂)…) + bₙ: a multi-layer perceptron, a {@link Chain} of {@link Dense} layers through the
 * given sizes with an activation (relu unless given) after every layer but the last, and optionally a
 * {@link Dropout} after each hidden activation.
 * <p>
 * {@code new MLP(784, 100, 10)} prints as {@code MLP(784 => 100 => 10, relu)}; being a chain, it can be indexed and
 * sliced ({@code mlp.slice(0, 1)} is the first hidden layer).
 */
public final class MLP extends Chain {
    private final int[] sizes;
    private final Activation f;
    private final double pdrop;

    /** Dense layers through sizes (at least two: input and output), relu between them. */
    public MLP(int... sizes) { this(new ReLU(), 0, sizes); }

    /** Dense layers through sizes with the activation f between them. */
    public MLP(Activation f, int... sizes) { this(f, 0, sizes); }

    /** Dense layers through sizes with the activation f and a Dropout(pdrop) between them (none when pdrop is 0). */
    public MLP(Activation f, double pdrop, int... sizes) {
        super(layers(f, pdrop, sizes));
        this.sizes = sizes.clone();
        this.f = f;
        this.pdrop = pdrop;
    }

    private static List<Layer> layers(Activation f, double pdrop, int[] sizes) {
        if (sizes.length < 2) throw new IllegalArgumentException("MLP: give at least an input and an output size, got " + Arrays.toString(sizes));
        if (f == null) throw new IllegalArgumentException("MLP: the activation must not be null (a chain of Linear layers is one Linear layer)");
        if (!(pdrop >= 0 && pdrop < 1)) throw new IllegalArgumentException("MLP: pdrop must be in [0, 1), got " + pdrop);
        List<Layer> out = new ArrayList<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            boolean last = i + 2 == sizes.length;
            out.add(new Dense(sizes[i], sizes[i + 1], last ? null : f));
            if (!last && pdrop > 0) out.add(new Dropout(pdrop));
        }
        return out;
    }

    /** The sizes it was built with, input first. */
    public int[] sizes() { return sizes.clone(); }

    @Override public String toString() {
        return "MLP(" + Arrays.stream(sizes).mapToObj(Integer::toString).collect(Collectors.joining(" => ")) + ", " + f.name()
                + (pdrop > 0 ? ", dropout=" + pdrop : "") + ")";
    }
}
