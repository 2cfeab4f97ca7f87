package io.github.knetj.layers.rnn;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.autograd.GradCheck;
import io.github.knetj.layers.Init;
import io.github.knetj.layers.Params;
import io.github.knetj.tck.BackendUnderTest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static io.github.knetj.autograd.Ops.concat;
import static io.github.knetj.autograd.Ops.reshape;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The test kit of the recurrent-layer tests: backends by name, Defaults set and restored, gradient checks. */
final class RNNTesting {
    private RNNTesting() {}

    static Stream<String> backends() { return Stream.of("reference", "cpu", "opencl", "cuda"); }

    /** Runs body with the named backend and dtype as {@link Defaults} and the Init seed at 1, then restores them. */
    static void on(String name, DType dtype, Runnable body) {
        Backend backend = BackendUnderTest.get(name);
        Backend oldBackend = Defaults.backend();
        DType oldDtype = Defaults.dtype();
        Defaults.backend(backend);
        Defaults.dtype(dtype);
        Init.seed(1);
        try {
            body.run();
        } finally {
            Defaults.backend(oldBackend);
            Defaults.dtype(oldDtype);
        }
    }

    /** A standard-normal parameter on the default backend and dtype. */
    static Param input(int... dims) { return new Param(Init.gaussian(1, dims)); }

    /** y, hidden and memory (when present) of an output flattened into one vector. */
    static Value flat(RNNOutput out) {
        Value all = concat(0, reshape(out.y(), -1), reshape(out.hidden(), -1));
        return out.memory() == null ? all : concat(0, all, reshape(out.memory(), -1));
    }

    /** Checks the gradient of f for every parameter of the layer and the extra named parameters. */
    static void gradcheck(String what, Recurrent layer, Map<String, Param> extra, Supplier<Value> f) {
        Map<String, Param> named = new LinkedHashMap<>(Params.named(layer));
        named.putAll(extra);
        GradCheck.Report report = GradCheck.options().check(f, named);
        assertTrue(report.passed(), what + " " + layer + " on " + Defaults.backend().name() + ":\n" + report);
    }
}
