package io.github.knetj.autograd;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.check.OpCatalog.Case;
import io.github.knetj.autograd.check.OpCatalog.Input;
import io.github.knetj.autograd.check.OpCatalog;
import io.github.knetj.tck.Tolerance;
import io.github.knetj.tck.property.Property;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Every catalogued op in float32 on every available backend against the reference backend in float64 on the same
 * (float32-rounded) inputs: the forward result within 1e-5 absolute plus 1e-4 relative, and the autograd gradients
 * of Σ w ⊙ y (fixed random w) within 1e-4 absolute plus 1e-3 relative, relative to the largest expected magnitude.
 */
class Float32ComparisonTest {
    private static final int TRIES = Math.min(10, Property.tries());
    private static final Backend REFERENCE = Backends.get("reference");

    /** The forward result and the gradient of every input. */
    private record Run(Tensor y, List<Tensor> grads) {}

    @TestFactory
    Stream<DynamicNode> everyOpInFloat32MatchesTheReferenceInFloat64() {
        return TestBackends.each(backend -> OpCatalog.entries().stream().map(e -> dynamicTest(e.name(), () -> {
                TestBackends.requireDtype(backend, DType.FLOAT32);
                Property.forAll("float32 " + e.name() + " on " + backend.name(), TRIES, e::sample, c -> {
                    Run expected = run(c, REFERENCE, DType.FLOAT64);
                    Run actual = run(c, backend, DType.FLOAT32);
                    String what = c + " on " + backend.name() + " float32";
                    Tolerance.of(DType.FLOAT32, false).check(what + ": forward", expected.y().shape(), expected.y().toDoubleArray(), actual.y());
                    for (int i = 0; i < c.inputs().size(); i++) {
                        Tensor g = expected.grads().get(i);
                        Tolerance.of(DType.FLOAT32, true).check(what + ": gradient of " + c.inputs().get(i).name(), g.shape(), g.toDoubleArray(), actual.grads().get(i));
                    }
                });
            })));
    }

    /** Runs the case with float32-rounded inputs in dtype on backend, recording the gradients of Σ w ⊙ y. */
    private static Run run(Case c, Backend backend, DType dtype) {
        List<Param> params = new ArrayList<>();
        for (Input in : c.inputs()) params.add(new Param(backend.memory().fromArray(roundToFloat(in.values()), in.shape(), dtype)));
        Value[] y = new Value[1];
        Tape tape = AutoGrad.diff(() -> {
            y[0] = c.apply(List.copyOf(params));
            SplittableRandom r = new SplittableRandom(y[0].shape().size());
            double[] w = new double[y[0].shape().sizeInt()];
            for (int i = 0; i < w.length; i++) w[i] = r.nextDouble(-1, 1);
            return Ops.sum(Ops.mul(y[0], new Value(backend.memory().fromArray(roundToFloat(w), y[0].shape(), dtype))));
        });
        List<Tensor> grads = new ArrayList<>();
        for (Param p : params) {
            Value g = tape.grad(p);
            grads.add(g == null ? backend.memory().zeros(p.shape(), dtype) : g.data());
        }
        return new Run(y[0].data(), grads);
    }

    private static double[] roundToFloat(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (float) v[i];
        return out;
    }
}
