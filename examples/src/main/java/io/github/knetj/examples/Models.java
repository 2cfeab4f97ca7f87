package io.github.knetj.examples;

import io.github.knetj.layers.Chain;
import io.github.knetj.layers.Conv;
import io.github.knetj.layers.Dense;
import io.github.knetj.layers.Pool;
import io.github.knetj.layers.ReLU;

/** The MNIST models of Knet's README and tutorial, built from the library's layers. */
public final class Models {
    private Models() {}

    /**
     * Knet's LeNet: Conv 5×5 1→20, max-pool 2, relu; Conv 5×5 20→50, max-pool 2, relu; Dense 800→500 relu; Dense 500→10.
     * Xavier-uniform weights and zero biases (the layers' defaults). Pooling before relu, as Knet does, is 4× cheaper.
     */
    public static Chain lenet() {
        return new Chain(
                new Conv(5, 5, 1, 20, null), new Pool(2), new ReLU(),
                new Conv(5, 5, 20, 50, null), new Pool(2), new ReLU(),
                new Dense(800, 500), new Dense(500, 10, null));
    }

    /** Knet's MLP: 784→100→50→10 with relu between. */
    public static Chain mlp() {
        return new Chain(new Dense(784, 100), new Dense(100, 50), new Dense(50, 10, null));
    }
}
