package io.github.knetj.examples.zoo;

import io.github.knetj.layers.Layer;
import io.github.knetj.layers.Linear;
import picocli.CommandLine.Command;

/**
 * {@code ./knetj train softmax}: Knet's softmax-regression benchmark, one linear layer 784 → 10 trained with the
 * cross-entropy of its scores: p(y | x) = softmax(W x + b). Plain SGD, lr 0.1 falling to 0 on a cosine (the last
 * epochs settle instead of jumping about 0.92 with a constant rate), batch 100, 10 epochs on standardized
 * MNIST pixels.
 */
@Command(name = "softmax", mixinStandardHelpOptions = true, showDefaultValues = true, defaultValueProvider = SoftmaxRegression.Defaults.class,
        description = "Knet's softmax regression on MNIST: one linear layer 784 => 10 (about 92%% after 10 epochs).")
public final class SoftmaxRegression extends ImageClassifier {
    static final Recipe RECIPE = new Recipe("softmax", "mnist", new int[]{784}, 10, 100, 0.1, "sgd", "cosine");

    static final class Defaults extends RecipeDefaults { Defaults() { super(RECIPE); } }

    public SoftmaxRegression() { super(RECIPE); }

    @Override Layer network() { return new Linear(784, 10); }
}
