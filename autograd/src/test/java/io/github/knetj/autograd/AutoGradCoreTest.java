package io.github.knetj.autograd;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.check.GradCheck.Report;
import io.github.knetj.autograd.check.GradCheck;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static io.github.knetj.autograd.Ops.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The properties of the autograd core itself, on the reference backend in float64 (they do not depend on kernels). */
class AutoGradCoreTest {
    private static final Backend B = Backends.get("reference");

    private static Param param(double[] v, int... dims) { return new Param(B.memory().fromArray(v, Shape.of(dims), DType.FLOAT64)); }

    private static Value constant(double[] v, int... dims) { return new Value(B.memory().fromArray(v, Shape.of(dims), DType.FLOAT64)); }

    @Test
    void aValueUsedTwiceGetsTheSumOfItsGradients() {
        Param x = param(new double[]{0.5, -1.5, 2}, 3);
        assertArrayEquals(new double[]{2, 2, 2}, AutoGrad.diff(() -> sum(add(x, x))).grad(x).data().toDoubleArray(), 0);
        assertArrayEquals(new double[]{1, -3, 4}, AutoGrad.diff(() -> sum(mul(x, x))).grad(x).data().toDoubleArray(), 1e-15);
    }

    @Test
    void differentiatingTwiceGivesTheSameGradients() {
        Param x = param(new double[]{0.3, -0.7, 1.1, 2.0}, 2, 2);
        Tape first = AutoGrad.diff(() -> sum(tanh(matmul(x, x))));
        Tape second = AutoGrad.diff(() -> sum(tanh(matmul(x, x))));
        assertArrayEquals(first.grad(x).data().toDoubleArray(), second.grad(x).data().toDoubleArray(), 0);
        assertEquals(first.value(), second.value(), 0);
    }

    /** The fused conv4(w, x, b) gives conv4 + b's values and gradients exactly; a null b is conv4 alone. */
    @Test
    void aConvolutionWithItsBiasIsTheConvolutionPlusTheBias() {
        io.github.knetj.api.Conv2d spec = io.github.knetj.api.Conv2d.of(1, 1, 1);
        Param w = param(new double[]{0.5, -1, 0.25, 2, -0.75, 1.5, 1, -0.5}, 2, 1, 2, 2);
        Param x = param(new double[]{1, -2, 3, 0.5, -1, 2, 0.25, 4, -3}, 1, 1, 3, 3);
        Param b = param(new double[]{0.3, -0.2}, 1, 2, 1, 1);
        Tape fused = AutoGrad.diff(() -> sum(square(NNOps.conv4(w, x, b, spec))));
        Tape composed = AutoGrad.diff(() -> sum(square(add(NNOps.conv4(w, x, spec), b))));
        assertEquals(composed.value(), fused.value(), 0);
        for (Param p : List.of(w, x, b)) assertArrayEquals(composed.grad(p).data().toDoubleArray(), fused.grad(p).data().toDoubleArray(), 0);
        assertArrayEquals(NNOps.conv4(w, x, spec).data().toDoubleArray(), NNOps.conv4(w, x, null, spec).data().toDoubleArray(), 0);
    }

    @Test
    void aGradientHasItsInputsShapeAfterBroadcasting() {
        Param a = param(new double[]{1, 2, 3}, 3, 1);
        Param b = param(new double[]{1, 2, 3, 4}, 1, 4);
        Param s = param(new double[]{2}, new int[0]);
        Tape t = AutoGrad.diff(() -> sum(mul(add(a, b), s)));
        assertEquals(Shape.of(3, 1), t.grad(a).shape());
        assertEquals(Shape.of(1, 4), t.grad(b).shape());
        assertEquals(Shape.scalar(), t.grad(s).shape());
        assertArrayEquals(new double[]{8, 8, 8}, t.grad(a).data().toDoubleArray(), 0);
        assertArrayEquals(new double[]{6, 6, 6, 6}, t.grad(b).data().toDoubleArray(), 0);
    }

    @Test
    void aValueNotReachedHasANullGradient() {
        Param used = param(new double[]{1, 2}, 2);
        Param unused = param(new double[]{3, 4}, 2);
        Param onlyCompared = param(new double[]{0, 5}, 2);
        Tape t = AutoGrad.diff(() -> sum(mul(used, compare(io.github.knetj.api.BinaryOp.GT, used, onlyCompared))));
        assertNotNull(t.grad(used));
        assertNull(t.grad(unused));
        assertNull(t.grad(onlyCompared));
        assertEquals(List.of(used), t.params());
    }

    @Test
    void diffOfANonScalarThrowsAClearError() {
        Param x = param(new double[]{1, 2, 3}, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AutoGrad.diff(() -> tanh(x)));
        assertTrue(e.getMessage().contains("scalar") && e.getMessage().contains("[3]"), e.getMessage());
    }

    @Test
    void aChainOfAHundredThousandOpsNeedsNoRecursion() {
        Param x = param(new double[]{0.5}, new int[0]);
        Tape t = AutoGrad.diff(() -> {
            Value y = x;
            for (int i = 0; i < 100_000; i++) y = shift(y, 1e-6);
            return y;
        });
        assertEquals(1.0, t.grad(x).item(), 0);
        assertEquals(0.6, t.value(), 1e-9);
    }

    @Test
    void opsOutsideDiffAreNotRecorded() {
        Param x = param(new double[]{1, 2}, 2);
        Value y = tanh(x);
        assertTrue(!y.tracked() && !AutoGrad.recording());
    }

    /** grad(f) nested: its derivative, itself differentiated by autograd, matches central differences of it. */
    private static void secondDerivativeMatches(String name, Function<Value, Value> f, double[] x) {
        Function<Value, Value> df = AutoGrad.grad(v -> sum(f.apply(v)));
        Report r = GradCheck.options().check(xs -> df.apply(xs.get(0)), List.of("x"), List.of(constant(x, x.length).data()));
        assertTrue(r.passed(), name + "'' differs from central differences of " + name + "':\n" + r);
    }

    @Test
    void secondDerivativesOfTanhSigmoidAndExpMatchDifferencesOfTheFirst() {
        double[] x = {-1.7, -0.4, 0.3, 1.2, 2.5};
        secondDerivativeMatches("tanh", Ops::tanh, x);
        secondDerivativeMatches("sigm", Ops::sigm, x);
        secondDerivativeMatches("exp", Ops::exp, x);
        // and the known closed forms: tanh'' = −2 tanh (1 − tanh²), exp'' = exp
        Value second = AutoGrad.grad(v -> sum(AutoGrad.grad(u -> sum(tanh(u))).apply(v))).apply(constant(x, 5));
        double[] got = second.data().toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            double t = Math.tanh(x[i]);
            assertEquals(-2 * t * (1 - t * t), got[i], 1e-12);
        }
        Value exp2 = AutoGrad.grad(v -> sum(AutoGrad.grad(u -> sum(exp(u))).apply(v))).apply(constant(x, 5));
        for (int i = 0; i < x.length; i++) assertEquals(Math.exp(x[i]), exp2.data().toDoubleArray()[i], 1e-12);
    }

    @Test
    void secondDerivativeOfAnMlpLossWrtAWeightElementMatchesDifferencesOfTheFirst() {
        Value x = constant(new double[]{0.5, -1.2, 0.8, 0.3, -0.7, 1.5, 1.1, -0.2}, 4, 2);
        Value target = constant(new double[]{0.2, -0.4, 0.9, 0.1}, 4, 1);
        Value w2 = constant(new double[]{0.7, -1.1, 0.4}, 1, 3);
        Value b1 = constant(new double[]{0.1, -0.2, 0.3}, 3);
        Function<Value, Value> loss = w1 -> NNOps.mse(linear(tanh(linear(x, w1, b1)), w2, null), target);
        Function<Value, Value> dLoss = AutoGrad.grad(loss);
        double[] onehot = new double[6];
        onehot[3] = 1;   // ∂loss/∂w1[1,0]
        Value pick = constant(onehot, 3, 2);
        double[] w1 = {0.4, -0.6, 1.0, 0.2, -0.3, 0.8};
        Report r = GradCheck.options().check(xs -> sum(mul(dLoss.apply(xs.get(0)), pick)), List.of("w1"), List.of(constant(w1, 3, 2).data()));
        assertTrue(r.passed(), "the Hessian row of the MLP loss differs from central differences of its gradient:\n" + r);
        assertTrue(r.entries().get(0).method().equals("jacobian"));
    }
}
