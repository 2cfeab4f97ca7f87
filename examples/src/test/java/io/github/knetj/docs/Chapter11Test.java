package io.github.knetj.docs;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.autograd.check.GradCheck;
import io.github.knetj.autograd.Ops;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.github.knetj.autograd.AutoGrad.*;
import static io.github.knetj.autograd.AutoGrad.*;
import static io.github.knetj.autograd.Ops.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chapter 11, writing an op: log cosh added by a student, as docs/11-writing-an-op.md shows. */
class Chapter11Test {
    @BeforeEach
    void float64() { Defaults.dtype(DType.FLOAT64); }

    @AfterEach
    void restore() {
        Defaults.backend(Backends.get());
        Defaults.dtype(DType.FLOAT32);
    }

    // tag::naive[]
    /** log cosh x straight from the definition: cosh x = (eˣ + e⁻ˣ)/2 overflows for |x| above about 710. */
    static Value logcoshNaive(Value x) { return log(scale(add(exp(x), exp(neg(x))), 0.5)); }
    // end::naive[]

    // tag::composed[]
    /** The same function as a plain method: every op it calls is recorded, and autograd chains their rules. */
    static Value logcoshComposed(Value x) {
        Value a = abs(x);
        return shift(add(a, softplus(scale(a, -2))), -Math.log(2));
    }
    // end::composed[]

    // tag::op[]
    /** The student's own ops: a class of static methods, like Ops. */
    static final class MyOps {
        /** log cosh x = |x| + softplus(−2|x|) − log 2, which never overflows; its derivative is tanh x. */
        static Value logcosh(Value x) {
            return Ops.define("logcosh", x,
                    v -> { Value a = abs(v); return shift(add(a, softplus(scale(a, -2))), -Math.log(2)); },   // forward, from ops
                    (v, y, g) -> mul(g, tanh(v)));                                                            // derivative
        }
    }
    // end::op[]

    static final double[] XS = {-800, -3, -0.5, 0, 0.25, 2, 30, 800};

    /** log cosh in double, from Math: the closed form the op is checked against (log1p keeps it exact at large |x|). */
    static double logcosh(double x) {
        double a = Math.abs(x);
        return a + Math.log1p(Math.exp(-2 * a)) - Math.log(2);
    }

    @Test
    void theNaiveFormOverflows() {
        // tag::overflow[]
        Value x = array(new double[]{0.5, 800}, 2);
        System.out.println(logcoshNaive(x));         // [0.1201, Infinity]: e^800 overflows
        System.out.println(MyOps.logcosh(x));        // [0.1201, 799.3]: 800 − log 2
        // end::overflow[]
        double[] naive = logcoshNaive(x).data().toDoubleArray(), stable = MyOps.logcosh(x).data().toDoubleArray();
        assertEquals(Math.log(Math.cosh(0.5)), naive[0], 1e-15);
        assertEquals(Double.POSITIVE_INFINITY, naive[1]);
        assertEquals(Math.log(Math.cosh(0.5)), stable[0], 1e-15);
        assertEquals(800 - Math.log(2), stable[1], 1e-12);
    }

    @Test
    void valueAndGradientAgainstTheClosedForms() {
        // tag::use[]
        double[] xs = {-800, -3, -0.5, 0, 0.25, 2, 30, 800};
        Param x = param(xs, xs.length);
        Tape t = diff(() -> sum(MyOps.logcosh(x)));
        Value y = MyOps.logcosh(x);                   // outside diff: a plain value, nothing recorded
        System.out.println(y);                        // [799.3, 2.309, 0.1201, ..., 1.325, 29.31, 799.3]
        System.out.println(t.grad(x));                // tanh x: [-1, -0.9951, -0.4621, ..., 0.9640, 1, 1]
        System.out.println(t.result().inputs());      // [logcosh → ...]: sum's one input, a single recorded op
        // end::use[]
        double[] v = y.data().toDoubleArray(), g = t.grad(x).data().toDoubleArray();
        for (int i = 0; i < XS.length; i++) {
            assertEquals(logcosh(XS[i]), v[i], 1e-13 * Math.max(1, Math.abs(XS[i])), "log cosh " + XS[i]);
            assertEquals(Math.tanh(XS[i]), g[i], 1e-15, "tanh " + XS[i]);
        }
        Value node = t.result().inputs().get(0);
        assertEquals("logcosh", node.op());
        assertEquals(1, node.inputs().size());
        assertSame(x, node.inputs().get(0), "the defined op is one node whose only input is x");
    }

    /** The recorded ops (values with inputs) reachable from y. */
    static int recordedOps(Value y) {
        java.util.Set<Value> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.ArrayDeque<Value> todo = new java.util.ArrayDeque<>(List.of(y));
        while (!todo.isEmpty()) {
            Value v = todo.pop();
            if (v.inputs().isEmpty() || !seen.add(v)) continue;
            for (Value in : v.inputs()) if (in != null) todo.push(in);
        }
        return seen.size();
    }

    @Test
    void theComposedMethodGivesTheSameGradientFromMoreNodes() {
        double[] xs = XS;
        // tag::compare[]
        Param x = param(xs, xs.length);
        Tape composed = diff(() -> sum(logcoshComposed(x))), defined = diff(() -> sum(MyOps.logcosh(x)));
        System.out.println(composed.grad(x));         // tanh x, chained through abs, scale, softplus, add, shift
        System.out.println(defined.grad(x));          // tanh x, from one rule
        // end::compare[]
        double[] a = composed.grad(x).data().toDoubleArray(), b = defined.grad(x).data().toDoubleArray();
        for (int i = 0; i < XS.length; i++) assertEquals(b[i], a[i], 1e-15, "x = " + XS[i]);
        assertEquals(6, recordedOps(composed.result()), "sum, shift, add, softplus, scale, abs");
        assertEquals(2, recordedOps(defined.result()), "sum, logcosh");
    }

    @Test
    void gradCheckAndTheSecondDerivative() {
        // tag::check[]
        Tensor x = array(new double[]{-3, -0.5, 0.25, 2}, 2, 2).data();
        GradCheck.Report r = GradCheck.check(xs -> sum(MyOps.logcosh(xs.get(0))), List.of(x));
        System.out.print(r);                          // float64, central differences: max abs err ~1e-10, ok
        Function<Value, Value> d = grad(v -> sum(MyOps.logcosh(v)));
        Function<Value, Value> d2 = grad(v -> sum(d.apply(v)));
        System.out.println(d2.apply(value(x)));       // 1 − tanh² x: the derivative is differentiable too
        // end::check[]
        assertTrue(r.passed(), r::toString);
        assertTrue(r.maxAbsError() < 1e-8, r::toString);
        double[] xv = x.toDoubleArray(), h = d2.apply(value(x)).data().toDoubleArray();
        for (int i = 0; i < xv.length; i++) assertEquals(1 - Math.pow(Math.tanh(xv[i]), 2), h[i], 1e-14);
    }

    @Test
    void aWrongDerivativeIsCaught() {
        // tag::wrong[]
        Function<Value, Value> wrong = v -> Ops.define("logcosh", v,
                u -> MyOps.logcosh(u), (u, y, g) -> mul(g, sigm(u)));   // σ(x) instead of tanh x
        Tensor x = array(new double[]{-3, -0.5, 0.25, 2}, 2, 2).data();
        System.out.println(GradCheck.check(xs -> sum(wrong.apply(xs.get(0))), List.of(x)).passed());   // false
        // end::wrong[]
        assertFalse(GradCheck.check(xs -> sum(wrong.apply(xs.get(0))), List.of(x)).passed());
    }

    @Test
    void everyBackendIncludingThePrimitiveOnlyOne() {
        double[] xs = XS;
        // tag::backends[]
        List<Backend> backends = new ArrayList<>(Backends.available());
        backends.add(new TinyBackend());                 // only the 23 + 13 primitives
        Backend reference = Backends.get("reference");
        for (Backend b : backends)
            for (DType d : b.dtypes()) {
                Tensor x = b.memory().fromArray(xs, Shape.of(xs.length), d);
                Tensor x0 = reference.memory().fromArray(xs, Shape.of(xs.length), d);
                double[] y = MyOps.logcosh(value(x)).data().toDoubleArray(), y0 = MyOps.logcosh(value(x0)).data().toDoubleArray();
                double diff = 0;
                for (int i = 0; i < y.length; i++) diff = Math.max(diff, Math.abs(y[i] - y0[i]));
                GradCheck.Report r = GradCheck.options().backend(b).dtype(d).check(in -> sum(MyOps.logcosh(in.get(0))), List.of(x));
                System.out.printf("%-10s %-8s max |y − reference| %.1e, gradcheck %s%n", b.name(), d, diff, r.passed() ? "ok" : "FAIL");
            }
        // end::backends[]
        boolean sawTiny = false;
        for (Backend b : backends) {
            sawTiny |= b.name().equals("tiny");
            for (DType d : b.dtypes()) {
                Tensor x = b.memory().fromArray(XS, Shape.of(XS.length), d);
                double[] y = MyOps.logcosh(value(x)).data().toDoubleArray();
                Param p = new Param(x);
                double[] g = diff(() -> sum(MyOps.logcosh(p))).grad(p).data().toDoubleArray();
                assertSame(b, p.backend());
                double tol = d == DType.FLOAT64 ? 1e-13 : 1e-6;
                for (int i = 0; i < XS.length; i++) {
                    assertEquals(logcosh(XS[i]), y[i], tol * Math.max(1, Math.abs(XS[i])), b.name() + " " + d + " log cosh " + XS[i]);
                    assertEquals(Math.tanh(XS[i]), g[i], d == DType.FLOAT64 ? 1e-15 : 1e-6, b.name() + " " + d + " tanh " + XS[i]);
                }
                GradCheck.Report r = GradCheck.options().backend(b).dtype(d).check(in -> sum(MyOps.logcosh(in.get(0))), List.of(x));
                assertTrue(r.passed(), b.name() + " " + d + "\n" + r);
            }
        }
        assertTrue(sawTiny);
    }
}
