package io.github.knetj.examples.zoo;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.examples.Args;
import io.github.knetj.io.ModelIO;
import io.github.knetj.layers.Init;
import io.github.knetj.optim.Optimizer;
import io.github.knetj.train.Trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * What the model-zoo commands share: the options every one of them takes ({@code --epochs --batch --lr --seed
 * --backend --threads --dtype --progress --save --load --plot}), setting up the backend, dtype and seed, and saving
 * and loading with {@link ModelIO}.
 */
final class ZooSetup {
    private ZooSetup() {}

    /** The options every zoo model accepts. */
    static final Set<String> COMMON = Set.of("epochs", "batch", "lr", "seed", "backend", "threads", "dtype", "progress", "save", "load", "plot");

    /** The options plus a model's own ones. */
    static Set<String> options(String... extra) {
        Set<String> all = new java.util.HashSet<>(COMMON);
        all.addAll(Set.of(extra));
        return all;
    }

    /** Applies --threads, --backend, --dtype and --seed to the Defaults and the Init stream; returns the backend. */
    static Backend apply(Args args) {
        if (args.has("threads")) System.setProperty("knetj.threads", args.get("threads", "2"));
        Backend backend = args.has("backend") ? Backends.get(args.get("backend", "auto")) : Backends.get();
        Defaults.backend(backend);
        Defaults.dtype(DType.parse(args.get("dtype", "float32")));
        Init.seed(args.getLong("seed", 1));
        return backend;
    }

    static Trainer.Progress progress(Args args) { return Trainer.Progress.parse("--progress", args.get("progress", "auto")); }

    /** A positive integer option. */
    static int positive(Args args, String name, int dflt) {
        int v = args.getInt(name, dflt);
        if (v < 1) throw new IllegalArgumentException("--" + name + " must be >= 1, got " + v);
        return v;
    }

    /** Loads model (and the optimizer's state when opt is not null) from --load, when given. */
    static void load(Args args, Object model, Optimizer opt) {
        if (!args.has("load")) return;
        Path file = Path.of(args.get("load", ""));
        try {
            ModelIO.load(file, model, opt);
            System.err.println("loaded " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + file, e);
        }
    }

    /** Saves model (and the optimizer's state) to --save, when given. */
    static void save(Args args, Object model, Optimizer opt) {
        if (!args.has("save")) return;
        Path file = Path.of(args.get("save", ""));
        try {
            ModelIO.save(file, model, opt);
            System.err.println("saved " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + file, e);
        }
    }
}
