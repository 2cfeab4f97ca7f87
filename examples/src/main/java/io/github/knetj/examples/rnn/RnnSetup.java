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
import io.github.knetj.layers.Init;
import io.github.knetj.optim.Optimizer;

import java.util.List;
import java.util.function.Supplier;

/** What the recurrent examples share: choosing the backend, dtype, threads and seed from the command line. */
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
