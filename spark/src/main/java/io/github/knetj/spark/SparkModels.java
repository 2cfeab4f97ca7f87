package io.github.knetj.spark;

import io.github.knetj.layers.Chain;
import io.github.knetj.layers.Conv;
import io.github.knetj.layers.Dense;
import io.github.knetj.layers.Layer;
import io.github.knetj.layers.Pool;
import io.github.knetj.layers.ReLU;

/**
 * The MNIST models the CLI trains, as {@link ModelFactory}s: the same layers as the examples module's Models (this
 * module sits beside the CLI, not above it, so that the default CLI does not pull Spark in).
 */
public final class SparkModels {
    private SparkModels() {}

    /** Knet's LeNet: Conv 5×5 1→20, pool, relu; Conv 5×5 20→50, pool, relu; Dense 800→500 relu; Dense 500→10. */
    public static Layer lenet() {
        return new Chain(
                new Conv(5, 5, 1, 20, null), new Pool(2), new ReLU(),
                new Conv(5, 5, 20, 50, null), new Pool(2), new ReLU(),
                new Dense(800, 500), new Dense(500, 10, null));
    }

    /** Knet's MLP: 784→100→50→10 with relu between. */
    public static Layer mlp() { return new Chain(new Dense(784, 100), new Dense(100, 50), new Dense(50, 10, null)); }

    /** The factory of a model by name: lenet or mlp. */
    public static ModelFactory byName(String name) {
        return switch (name) {
            case "lenet" -> SparkModels::lenet;
            case "mlp" -> SparkModels::mlp;
            default -> throw new IllegalArgumentException("unknown model '" + name + "': expected lenet or mlp");
        };
    }
}
