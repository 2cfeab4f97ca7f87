package io.github.knetj.layers.rnn;

import io.github.knetj.api.DType;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.layers.LayerTesting;

import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static io.github.knetj.autograd.Ops.concat;
import static io.github.knetj.autograd.Ops.reshape;

/** The test kit of the recurrent-layer tests: backends by name, Defaults set and restored, gradient checks. */
final class RNNTesting {
    private RNNTesting() {}

    static Stream<String> backends() { return LayerTesting.backends(); }

    /** Runs body with the named backend and dtype as {@link io.github.knetj.autograd.Defaults}, as the layer tests do. */
    static void on(String name, DType dtype, Runnable body) { LayerTesting.on(name, dtype, body); }

    /** A standard-normal parameter on the default backend and dtype. */
    static Param input(int... dims) { return LayerTesting.input(dims); }

    /** y, hidden and memory (when present) of an output flattened into one vector. */
    static Value flat(RNNOutput out) {
        Value all = concat(0, reshape(out.y(), -1), reshape(out.hidden(), -1));
        return out.memory() == null ? all : concat(0, all, reshape(out.memory(), -1));
    }

    /** Checks the gradient of f for every parameter of the layer and the extra named parameters. */
    static void gradcheck(String what, Recurrent layer, Map<String, Param> extra, Supplier<Value> f) {
        LayerTesting.gradcheck(what + " " + layer, f, layer, extra);
    }
}
