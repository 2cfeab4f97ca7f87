package io.github.knetj.examples.rnn;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.TensorScope;
import io.github.knetj.autograd.AutoGrad;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.io.ModelIO;
import io.github.knetj.layers.Init;
import io.github.knetj.optim.Optimizer;
import io.github.knetj.optim.Optimizers;
import io.github.knetj.train.NonFiniteGuard;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the recurrent examples share: the backend, dtype, threads and seed from the command line, the optimizer
 * ({@code --optimizer}, Adam by default, gradients clipped to norm 5), loading and saving ({@code --load}, {@code --save}),
 * and one training step, which stops the run when the loss is not finite (unless {@code --allow-nonfinite}).
 */
final class RnnSetup {
    private RnnSetup() {}

    /** Applies --threads, --backend, --dtype and --seed to the Defaults and the Init stream; returns the backend. */
    static Backend apply(RnnOptions o) {
        Backend backend = o.backend.apply();
        Init.seed(o.seed);
        return backend;
    }

    /** The optimizer named by --optimizer at this learning rate, clipping gradients to global norm 5. */
    static Optimizer optimizer(RnnOptions o, double lr) { return Optimizers.byName(o.optimizer, lr).clipNorm(5); }

    /** Loads the model's parameters (and the optimizer's state, when the file holds it) from a checked --load path. */
    static void load(Path file, Object model, Optimizer optimizer) throws IOException {
        if (file == null) return;
        boolean state = ModelIO.hasOptimizerState(file);
        ModelIO.load(file, model, state ? optimizer : null);
        System.err.println("loaded " + file + (state ? "" : " (weights only: the optimizer starts afresh)"));
    }

    /** Saves the model's parameters and the optimizer's state to a checked --save path. */
    static void save(Path file, Object model, Optimizer optimizer) throws IOException {
        if (file == null) return;
        ModelIO.save(file, model, optimizer);
        System.err.println("saved " + file);
    }

    /**
     * One training step inside a tensor scope: the loss and its gradients, the optimizer's update, and the release of
     * every intermediate tensor (on device backends) except the new parameters and the optimizer's state. A guard, when
     * given, stops the run at a non-finite loss, naming the step and the first non-finite parameter.
     */
    static double step(Supplier<Value> loss, Optimizer optimizer, List<Param> params, NonFiniteGuard guard, long stepNumber) {
        try (TensorScope scope = TensorScope.open()) {
            Tape tape = AutoGrad.diff(loss);
            double value = tape.value();
            optimizer.step(tape);
            for (Param p : params) {
                scope.keep(p.data());
                for (Tensor t : optimizer.state(p).values()) scope.keep(t);
            }
            if (guard != null) guard.check(stepNumber, value);
            return value;
        }
    }

    /** Nanoseconds since start, as seconds. */
    static double seconds(long startNanos) { return (System.nanoTime() - startNanos) / 1e9; }
}
