package io.github.knetj.autograd;

import io.github.knetj.api.DType;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.check.GradCheck.Report;
import io.github.knetj.autograd.check.GradCheck;
import io.github.knetj.autograd.check.OpCatalog.Case;
import io.github.knetj.autograd.check.OpCatalog;
import io.github.knetj.tck.property.Property;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Higher-order gradients of every catalogued op: the backward rules are written with differentiable ops, so the
 * gradient of Σ wᵢ ⊙ ∂s/∂xᵢ (s the op's result reduced with fixed random weights) that autograd records through a
 * nested diff must match central differences of that first derivative.
 */
class SecondOrderTest {
    /** Each evaluation is itself a diff, so fewer cases than the first-order property. */
    private static final int TRIES = Math.min(5, Property.tries());

    @TestFactory
    Stream<DynamicNode> theGradientOfEveryOpsGradientMatchesCentralDifferences() {
        return TestBackends.each(backend -> OpCatalog.entries().stream().map(e -> dynamicTest(e.name(), () -> {
                TestBackends.requireDtype(backend, DType.FLOAT64);
                Property.forAll("second order " + e.name() + " on " + backend.name(), TRIES, e::sample, c -> {
                    Report report = GradCheck.options().check(firstDerivative(c), c.names(), c.tensors(backend, GradCheck.options().dtype()));
                    if (!report.passed()) throw new AssertionError("second derivatives of " + c + " on " + backend.name() + ":\n" + report);
                });
            })));
    }

    /** xs ↦ Σᵢ Σ wᵢ ⊙ ∂s/∂xᵢ: a scalar function of the first derivatives, differentiable when the rules are. */
    private static Function<List<Value>, Value> firstDerivative(Case c) {
        return xs -> {
            Tape tape = AutoGrad.diff(() -> weighted(c.apply(xs), 1));
            Value total = Ops.scalar(0, xs.get(0));
            for (int i = 0; i < xs.size(); i++) {
                Value g = tape.grad(xs.get(i));
                if (g != null) total = Ops.add(total, weighted(g, 100 + i));
            }
            return total;
        };
    }

    /** Σ w ⊙ y with weights in [−1, 1) drawn from seed: a fixed scalar reduction of y. */
    private static Value weighted(Value y, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] w = new double[y.shape().sizeInt()];
        for (int i = 0; i < w.length; i++) w[i] = r.nextDouble(-1, 1);
        return Ops.sum(Ops.mul(y, new Value(y.backend().memory().fromArray(w, y.shape(), y.dtype()))));
    }
}
