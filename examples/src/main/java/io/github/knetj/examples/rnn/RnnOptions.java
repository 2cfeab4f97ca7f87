package io.github.knetj.examples.rnn;

import io.github.knetj.examples.BackendOptions;
import io.github.knetj.examples.Checked;
import io.github.knetj.optim.Optimizers;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** The options the recurrent examples share: backend, threads and dtype, seed, optimizer, saving and loading. */
public final class RnnOptions {
    @Mixin BackendOptions backend;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "seed of the weights and of the data order")
    long seed;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam",
            description = "sgd, momentum, nesterov, adagrad, rmsprop, adadelta, adam or adamw; gradients are clipped to norm 5")
    String optimizer;

    @Option(names = "--save", paramLabel = "FILE", description = "write the trained model and optimizer state as safetensors")
    String save;

    @Option(names = "--load", paramLabel = "FILE", description = "start from a saved model: a --save file, or a weights-only safetensors file")
    String load;

    @Option(names = "--allow-nonfinite", description = "go on when the loss becomes NaN or infinite (by default training stops with an error)")
    boolean allowNonFinite;

    /** The checked paths of --save and --load (null when absent), found before any work starts. */
    record Files(Path save, Path load) {}

    /** Checks --optimizer, --save and --load now, so that a bad one fails before training rather than after it. */
    Files check() throws IOException {
        if (!Optimizers.NAMES.contains(optimizer))
            throw new IllegalArgumentException("--optimizer " + optimizer + ": expected one of " + String.join(", ", Optimizers.NAMES)
                    + io.github.knetj.examples.Nearest.suggestion(optimizer, Optimizers.NAMES));
        return new Files(save == null ? null : Checked.output("--save", save), load == null ? null : Checked.input("--load", load, "a safetensors model file"));
    }
}
