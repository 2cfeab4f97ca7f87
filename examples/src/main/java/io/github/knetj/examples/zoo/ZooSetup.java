package io.github.knetj.examples.zoo;

import io.github.knetj.api.Backend;
import io.github.knetj.examples.BackendOptions;
import io.github.knetj.examples.Checked;
import io.github.knetj.examples.Nearest;
import io.github.knetj.io.ModelIO;
import io.github.knetj.layers.Init;
import io.github.knetj.optim.Optimizer;
import io.github.knetj.optim.Optimizers;
import io.github.knetj.train.Trainer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The options every model-zoo command takes ({@code --backend --threads --dtype --seed --progress --save --load
 * --allow-nonfinite}; {@code --epochs --batch --lr} and {@code --plot} are each model's own, as their defaults
 * differ), setting up the backend, dtype and seed, and saving and loading with {@link ModelIO}.
 */
final class ZooSetup {
    @Mixin BackendOptions backend;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "seed of the weights and of the data order")
    long seed;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto", description = "auto, bar, lines or off")
    Trainer.Progress progress;

    @Option(names = "--save", paramLabel = "FILE", description = "write the trained model as safetensors")
    String save;

    @Option(names = "--load", paramLabel = "FILE", description = "start from a saved model: a --save file, or a weights-only safetensors file")
    String load;

    @Option(names = "--allow-nonfinite", description = "go on when the loss becomes NaN or infinite (by default training stops with an error)")
    boolean allowNonFinite;

    /**
     * The checked paths of --save and --load (null when absent), found before any work starts, and whether the --load
     * file holds an optimizer's state (its header is read now, so that a file that is not safetensors fails before any
     * data loads).
     */
    record Files(Path save, Path load, boolean loadHasOptimizer) {}

    /** Checks --save and --load now, so that a bad one fails before training rather than after it. */
    Files check() throws IOException {
        Path s = save == null ? null : Checked.output("--save", save);
        Path l = load == null ? null : Checked.input("--load", load, "a safetensors model file");
        return new Files(s, l, l != null && ModelIO.hasOptimizerState(l));
    }

    /** Applies --threads, --backend, --dtype and --seed to the Defaults and the Init stream; returns the backend. */
    Backend apply() {
        Backend b = backend.apply();
        Init.seed(seed);
        return b;
    }

    /** Checks an --optimizer name, suggesting the nearest when it is not one. */
    static String optimizer(String name) {
        if (!Optimizers.NAMES.contains(name))
            throw new IllegalArgumentException("--optimizer " + name + ": expected one of " + String.join(", ", Optimizers.NAMES) + Nearest.suggestion(name, Optimizers.NAMES));
        return name;
    }

    /** Loads model from --load, when given, and the optimizer's state when opt is not null and the file holds it. */
    static void load(Files files, Object model, Optimizer opt) throws IOException {
        if (files.load() == null) return;
        boolean state = opt != null && files.loadHasOptimizer();
        ModelIO.load(files.load(), model, state ? opt : null);
        System.err.println("loaded " + files.load() + (opt == null || state ? "" : " (weights only: the optimizer starts afresh)"));
    }

    /** Saves model (and the optimizer's state, when opt is not null) to a checked --save path. */
    static void save(Path file, Object model, Optimizer opt) throws IOException {
        if (file == null) return;
        ModelIO.save(file, model, opt);
        System.err.println("saved " + file);
    }
}
