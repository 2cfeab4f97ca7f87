package io.github.knetj.examples.zoo;

import io.github.knetj.layers.Linear;

import java.io.IOException;

/**
 * {@code ./knetj train softmax}: Knet's softmax-regression benchmark, one linear layer 784 → 10 trained with the
 * cross-entropy of its scores: p(y | x) = softmax(W x + b). Plain SGD, lr 0.1 falling to 0 on a cosine (the last
 * epochs settle instead of jumping about 0.92 with a constant rate), batch 100, 10 epochs on standardized
 * MNIST pixels.
 */
public final class SoftmaxRegression {
    private SoftmaxRegression() {}

    static final ImageClassifier.Recipe RECIPE = new ImageClassifier.Recipe("softmax", "mnist", new int[]{784}, 10, 100, 0.1, "sgd", "cosine");

    public static int run(String[] argv) throws IOException { return ImageClassifier.run(RECIPE, argv, args -> new Linear(784, 10)); }
}
