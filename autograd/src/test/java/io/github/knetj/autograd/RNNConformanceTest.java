package io.github.knetj.autograd;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.tck.BackendUnderTest;
import io.github.knetj.tck.Tolerance;
import io.github.knetj.tck.conformance.Case;
import io.github.knetj.tck.conformance.Conformance;
import io.github.knetj.tck.conformance.NamedArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static io.github.knetj.autograd.Ops.add;
import static io.github.knetj.autograd.Ops.mul;
import static io.github.knetj.autograd.Ops.reshape;
import static io.github.knetj.autograd.Ops.sum;
import static io.github.knetj.autograd.Ops.value;

/**
 * The recurrent cases of the PyTorch conformance vectors (lstm, gru, rnn_tanh, rnn_relu: one layer, batch-first,
 * h0/c0 (1,B,H)) through {@link RNNOps} on every backend, in float64 and float32 with the README's tolerances:
 * outputs, and the gradient of Σ upstream ⊙ output for every input.
 */
class RNNConformanceTest {
    static Stream<Arguments> cases() {
        Conformance all = Conformance.load();
        return Stream.of("reference", "primitives", "cpu", "opencl", "cuda").flatMap(backend -> Stream.of(DType.FLOAT64, DType.FLOAT32).flatMap(dtype ->
                Stream.of("lstm", "gru", "rnn_tanh", "rnn_relu").flatMap(op ->
                        all.cases().stream().filter(c -> c.op().equals(op)).map(c -> Arguments.of(backend, dtype, c)))));
    }

    @ParameterizedTest(name = "{2} on {0} in {1}") @MethodSource("cases")
    void matchesPyTorch(String backendName, DType dtype, Case c) {
        Backend backend = BackendUnderTest.get(backendName);
        if (!backend.dtypes().contains(dtype)) BackendUnderTest.unavailable(backendName, "no " + dtype + " on " + backend.device());
        Map<String, Param> in = new LinkedHashMap<>();
        for (NamedArray a : c.inputs()) in.put(a.name(), new Param(backend.memory().fromArray(a.data(), a.shape(), dtype)));
        RNNOps.Cell cell = RNNOps.Cell.valueOf(c.op().toUpperCase(Locale.ROOT));
        Map<String, Value> out = new LinkedHashMap<>();
        Tape tape = AutoGrad.diff(() -> {
            RNNOps.Result r = RNNOps.run(cell, in.get("x"), in.get("h0"), in.get("c0"), in.get("weight_ih"), in.get("weight_hh"),
                    in.get("bias_ih"), in.get("bias_hh"), null, false);
            int b = r.h().shape().dim(0), h = r.h().shape().dim(1);
            out.put("y", r.y());
            out.put("h_n", reshape(r.h(), 1, b, h));
            if (r.c() != null) out.put("c_n", reshape(r.c(), 1, b, h));
            Value loss = null;
            for (var e : out.entrySet()) {
                NamedArray up = c.upstream(e.getKey());
                Value term = sum(mul(e.getValue(), value(backend.memory().fromArray(up.data(), up.shape(), dtype))));
                loss = loss == null ? term : add(loss, term);
            }
            return loss;
        });
        String where = c.name() + " on " + backendName + " in " + dtype;
        for (NamedArray o : c.outputs()) Tolerance.assertClose(where + ": output " + o.name(), o.data(), out.get(o.name()).data(), dtype, false);
        for (NamedArray g : c.grads()) Tolerance.assertClose(where + ": gradient of " + g.name(), g.data(), tape.grad(in.get(g.name())).data(), dtype, true);
    }
}
