package io.github.knetj.autograd;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.tck.Tolerance;
import io.github.knetj.tck.conformance.Case;
import io.github.knetj.tck.conformance.Conformance;
import io.github.knetj.tck.conformance.NamedArray;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Every case of the PyTorch conformance vectors ({@link Conformance#load()}, which honours
 * {@code KNETJ_CONFORMANCE_FILE}) through Ops and NNOps ({@link ConformanceOps}) on every available backend, in
 * float64 and float32: every output, and the gradient of every float input, computed as autograd's gradient of
 * Σ sum(upstream ⊙ output) over the differentiable outputs. Tolerances are the README's: float64 1e-9 relative to
 * the largest expected magnitude; float32 1e-5 + 1e-4 relative forward, 1e-4 + 1e-3 relative for gradients.
 */
class ConformanceTest {
    private static final Conformance VECTORS = Conformance.load();
    /** Recurrent families: {@code RNNConformanceTest} runs them through {@link RNNOps}, with the same tolerances. */
    static final Set<String> RUN_BY_RNN_CONFORMANCE_TEST = Set.of("lstm", "gru", "rnn_tanh", "rnn_relu");

    @Test
    void everyOpOfTheVectorsIsMapped() {
        Set<String> unknown = new TreeSet<>();
        for (Case c : VECTORS.cases())
            if (!ConformanceOps.OPS.containsKey(c.op()) && !RUN_BY_RNN_CONFORMANCE_TEST.contains(c.op()))
                unknown.add(c.op() + " (" + c.name() + ")");
        assertEquals(Set.of(), unknown, "conformance ops with no mapping in ConformanceOps.OPS");
    }

    @TestFactory
    Stream<DynamicNode> everyCaseMatchesPyTorch() {
        return TestBackends.each(backend -> Stream.of(DType.FLOAT64, DType.FLOAT32).map(dtype -> dynamicContainer(dtype.label(),
                VECTORS.cases().stream().filter(c -> ConformanceOps.OPS.containsKey(c.op()))
                        .map(c -> dynamicTest(c.name(), () -> run(c, backend, dtype))))));
    }

    private static void run(Case c, Backend backend, DType dtype) {
        TestBackends.requireDtype(backend, dtype);
        Map<String, Param> params = new LinkedHashMap<>();
        for (NamedArray a : c.inputs()) if (a.dtype().startsWith("float")) params.put(a.name(), new Param(a.on(backend, dtype)));
        ConformanceOps.Inputs in = new ConformanceOps.Inputs(c, params, backend, dtype);
        Map<String, Value> out = new LinkedHashMap<>();
        Tape tape = AutoGrad.diff(() -> {
            out.putAll(ConformanceOps.OPS.get(c.op()).apply(c.attrs(), in));
            Value loss = null;
            for (NamedArray up : c.upstream()) {
                Value term = Ops.sum(Ops.mul(output(c, out, up.name()), new Value(up.on(backend, dtype))));
                loss = loss == null ? term : Ops.add(loss, term);
            }
            return loss;
        });
        String where = c.name() + " on " + backend.name() + " in " + dtype;
        for (NamedArray o : c.outputs())
            Tolerance.of(dtype, false).check(where + ": output " + o.name(), o.shape(), o.data(), output(c, out, o.name()).data());
        for (NamedArray g : c.grads()) {
            Param p = params.get(g.name());
            Value grad = tape.grad(p);
            Tensor actual = grad == null ? backend.memory().zeros(p.shape(), dtype) : grad.data();
            Tolerance.of(dtype, true).check(where + ": gradient of " + g.name(), g.shape(), g.data(), actual);
        }
    }

    private static Value output(Case c, Map<String, Value> out, String name) {
        Value v = out.get(name);
        if (v == null) throw new AssertionError(c.name() + ": the mapping of " + c.op() + " gives no output '" + name + "' (gives " + out.keySet() + ")");
        return v;
    }
}
