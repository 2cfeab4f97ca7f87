package io.github.knetj.layers;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.autograd.check.GradCheck;
import io.github.knetj.tck.BackendUnderTest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The test kit of the layer tests (the recurrent tests use it too): every backend by name, Defaults set and restored around a test, gradient checks. */
public final class LayerTesting {
    private LayerTesting() {}

    /** Every backend a layer is checked on; an unavailable one skips (or, when required, fails) with its reason. */
    public static Stream<String> backends() { return Stream.of("reference", "primitives", "cpu", "opencl", "cuda"); }

    /** Runs body with the named backend and dtype as {@link Defaults} and the Init seed at 1, then restores the Defaults. */
    public static void on(String name, DType dtype, Runnable body) {
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

    /** A float64 input from a standard normal on the default backend, as a Param so that its gradient is checked too. */
    public static Param input(int... dims) { return new Param(Init.gaussian(1, dims)); }

    /** Checks the gradients of layer(x) for every parameter of the layer and for x. */
    static void gradcheck(Layer layer, Param x) { gradcheck(layer.toString(), () -> layer.apply(x), layer, Map.of("x", x)); }

    /** Checks the gradients of loss for every parameter of model and the extra named parameters. */
    public static void gradcheck(String what, Supplier<Value> loss, Object model, Map<String, Param> extra) {
        Map<String, Param> named = new LinkedHashMap<>(Params.named(model));
        named.putAll(extra);
        GradCheck.Report report = GradCheck.options().check(loss, named);
        assertTrue(report.passed(), what + " on " + Defaults.backend().name() + ":\n" + report);
    }

    /** The elements of a value as doubles. */
    static double[] values(Value v) { return v.data().toDoubleArray(); }
}
