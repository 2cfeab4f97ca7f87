package io.github.knetj.examples.zoo;

import io.github.knetj.layers.BatchNorm;
import io.github.knetj.layers.Chain;
import io.github.knetj.layers.Conv;
import io.github.knetj.layers.Dense;
import io.github.knetj.layers.Layer;
import io.github.knetj.layers.Linear;
import io.github.knetj.layers.Pool;
import io.github.knetj.layers.ReLU;
import io.github.knetj.layers.Tanh;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./knetj train mnist-cnn}: KnetLayers' MNIST-CNN example (examples/mnist-cnn.jl there), layer for layer:
 * <pre>
 * Conv 5×5 1→12, relu, max-pool 2       28 → 24 → 12
 * Conv 5×5 12→12, tanh, max-pool 2      12 → 8 → 4
 * Dense 192 → 13, tanh
 * Linear 13 → 10
 * </pre>
 * KnetLayers trains it with SGD for 10 epochs; here Adam, lr 0.005 falling to 0 on a cosine, batch 100, 3 epochs on
 * standardized MNIST pixels (0.9864 to 0.9885 over seeds 1–4; at lr 0.002 it ended at 0.9837).
 * <p>
 * {@code --arch bn} builds a wider net with batch norm instead (Conv 3×3 1→16, BatchNorm, relu, pool; Conv 3×3 16→32,
 * BatchNorm, relu, pool; Dense 800→128 relu; Linear 128→10): 0.9916 after 3 epochs at {@code --lr 0.002}, about 20
 * times slower on the cpu backend.
 */
@Command(name = "mnist-cnn", mixinStandardHelpOptions = true, showDefaultValues = true, defaultValueProvider = MnistCnn.Defaults.class,
        description = "KnetLayers' MNIST-CNN: conv 5x5 12 relu, pool, conv 5x5 12 tanh, pool, dense 13 tanh, linear 10 (about 98.7%% after 3 epochs).")
public final class MnistCnn extends ImageClassifier {
    static final Recipe RECIPE = new Recipe("mnist-cnn", "mnist", new int[]{1, 28, 28}, 3, 100, 0.005, "adam", "cosine");

    static final class Defaults extends RecipeDefaults { Defaults() { super(RECIPE); } }

    /** The values of --arch. */
    static final java.util.List<String> ARCHS = java.util.List.of("knetlayers", "bn");

    @Option(names = "--arch", paramLabel = "NAME", defaultValue = "knetlayers", description = "knetlayers (KnetLayers' own example network, above), or bn (a wider net with batch norm)")
    String arch;

    public MnistCnn() { super(RECIPE); }

    @Override void checkModelOptions() {
        if (!ARCHS.contains(arch))
            throw new IllegalArgumentException("--arch " + arch + ": expected knetlayers or bn" + io.github.knetj.examples.Nearest.suggestion(arch, ARCHS));
    }

    @Override Layer network() { return arch.equals("bn") ? batchNormModel() : model(); }

    /** KnetLayers' example network, as it is written there. */
    public static Chain model() {
        return new Chain(
                new Conv(5, 5, 1, 12, new ReLU()), new Pool(2),
                new Conv(5, 5, 12, 12, new Tanh()), new Pool(2),
                new Dense(192, 13, new Tanh()), new Linear(13, 10));
    }

    /** The wider variant with batch norm ({@code --arch bn}). */
    public static Chain batchNormModel() {
        return new Chain(
                new Conv(3, 3, 1, 16, null), new BatchNorm(16), new ReLU(), new Pool(2),
                new Conv(3, 3, 16, 32, null), new BatchNorm(32), new ReLU(), new Pool(2),
                new Dense(800, 128), new Linear(128, 10));
    }
}
