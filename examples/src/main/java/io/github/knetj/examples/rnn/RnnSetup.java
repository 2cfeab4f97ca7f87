package io.github.knetj.examples.rnn;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.TensorScope;
import io.github.knetj.autograd.AutoGrad;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.examples.Args;
import io.github.knetj.io.ModelIO;
import io.github.knetj.layers.Init;
import io.github.knetj.optim.Optimizer;
import io.github.knetj.optim.Optimizers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the recurrent examples share: the backend, dtype, threads and seed from the command line, the optimizer
 * ({@code --optimizer}, Adam by default, gradients clipped to norm 5), loading and saving ({@code --load}, {@code --save}),
 * and one training step.
 */
final class RnnSetup {
    private RnnSetup() {}

    /** Applies --threads, --backend, --dtype and --seed to the Defaults and the Init stream; returns the backend. */
    static Backend apply(Args args) {
        if (args.has("threads")) System.setProperty("knetj.threads", args.get("threads", "2"));
        Backend backend = args.has("backend") ? Backends.get(args.get("backend", "auto")) : Backends.get();
        Defaults.backend(backend);
        Defaults.dtype(DType.parse(args.get("dtype", "float32")));
        Init.seed(args.getLong("seed", 1));
        return backend;
    }

    /** The optimizer named by --optimizer (default adam) at this learning rate, clipping gradients to global norm 5. */
    static Optimizer optimizer(Args args, double lr) { return Optimizers.byName(args.get("optimizer", "adam"), lr).clipNorm(5); }

    /** Loads the model's parameters and the optimizer's state from --load, when given. */
    static void load(Args args, Object model, Optimizer optimizer) {
        if (!args.has("load")) return;
        Path file = Path.of(args.get("load", ""));
        try {
            ModelIO.load(file, model, optimizer);
            System.err.println("loaded " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + file, e);
        }
    }

    /** Saves the model's parameters and the optimizer's state to --save, when given. */
    static void save(Args args, Object model, Optimizer optimizer) {
        if (!args.has("save")) return;
        Path file = Path.of(args.get("save", ""));
        try {
            ModelIO.save(file, model, optimizer);
            System.err.println("saved " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + file, e);
        }
    }

    /**
     * One training step inside a tensor scope: the loss and its gradients, the optimizer's update, and the release of
     * every intermediate tensor (on device backends) except the new parameters and the optimizer's state.
     */
    static double step(Supplier<Value> loss, Optimizer optimizer, List<Param> params) {
        try (TensorScope scope = TensorScope.open()) {
            Tape tape = AutoGrad.diff(loss);
            double value = tape.value();
            optimizer.step(tape);
            for (Param p : params) {
                scope.keep(p.data());
                for (Tensor t : optimizer.state(p).values()) scope.keep(t);
            }
            return value;
        }
    }

    /** Nanoseconds since start, as seconds. */
    static double seconds(long startNanos) { return (System.nanoTime() - startNanos) / 1e9; }
}
