package io.github.knetj.docs;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Backends;
import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.autograd.check.EpsSweep;
import io.github.knetj.autograd.check.GradCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import io.github.knetj.autograd.AutoGrad.*;
import static io.github.knetj.autograd.AutoGrad.*;
import static io.github.knetj.autograd.Ops.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chapter 3, gradient checking: the samples of docs/03-gradient-checking.md, run and checked. */
class Chapter03Test {
    @AfterEach
    void restore() { Defaults.dtype(DType.FLOAT32); }

    @Test
    void checkingAnOp() {
        // tag::check[]
        Backend b = Backends.get();
        Tensor x = b.memory().fromArray(new double[]{-1.5, -0.2, 0.3, 2.0}, Shape.of(2, 2), DType.FLOAT32);
        GradCheck.Report r = GradCheck.check(xs -> sum(tanh(xs.get(0))), List.of(x));
        System.out.print(r);   // a table: one row per input, with its largest errors and whether it passed
        // end::check[]
        assertTrue(r.passed(), r::toString);
        assertEquals(DType.FLOAT64, r.entries().get(0).dtype(), "the function form checks in float64");
        assertTrue(r.maxAbsError() < 1e-8, r::toString);
    }

    // tag::bug[]
    /** x³ with a bug in its rule: the factor should be 3. */
    static Value buggyCube(Value x) {
        Tensor out = x.backend().fused().binary(BinaryOp.POW, x.data(), x.backend().memory().scalar(3, x.dtype()));
        return AutoGrad.record("cube", out, (g, y) -> new Value[]{mul(g, scale(square(x), 2))}, x);
    }
    // end::bug[]

    @Test
    void catchingAWrongRule() {
        Tensor x = Backends.get().memory().fromArray(new double[]{0.5, 1.0, 2.0}, Shape.of(3), DType.FLOAT64);
        // tag::catch[]
        GradCheck.Report bad = GradCheck.check(xs -> sum(buggyCube(xs.get(0))), List.of(x));
        System.out.print(bad);            // FAIL: autograd says 2x², finite differences say 3x²
        System.out.println(bad.passed());   // false
        // end::catch[]
        assertFalse(bad.passed());
        assertEquals(4.0, bad.maxAbsError(), 1e-5, "at x = 2 the rule is off by (3 − 2)·2² = 4");
    }

    @Test
    void checkingEveryParameterOfALoss() {
        Defaults.dtype(DType.FLOAT64);
        // tag::params[]
        Param w = param(new double[]{0.5, -1, 2}, 3);
        Param c = param(new double[]{0.1}, 1);
        Value x = array(new double[]{1, 2, 3}, 3);
        GradCheck.Report r = GradCheck.check(() -> sum(tanh(add(mul(w, x), c))), List.of(w, c));
        System.out.print(r);   // rows param0 (w) and param1 (c)
        // end::params[]
        assertTrue(r.passed(), r::toString);
        assertEquals(2, r.entries().size());
    }

    @Test
    void theSameCheckOnEveryBackend() {
        // tag::backends[]
        Tensor x = Backends.get().memory().fromArray(new double[]{-1.5, -0.2, 0.3, 2.0}, Shape.of(2, 2), DType.FLOAT64);
        for (Backend b : Backends.available()) {
            GradCheck.Report r = GradCheck.options().backend(b).check(xs -> sum(sigm(xs.get(0))), List.of(x));
            System.out.println(b.name() + ": max error " + r.maxAbsError() + (r.passed() ? " ok" : " FAIL"));
        }
        // end::backends[]
        for (Backend b : Backends.available())
            assertTrue(GradCheck.options().backend(b).check(xs -> sum(sigm(xs.get(0))), List.of(x)).passed(), b.name());
    }

    @Test
    void sweepingTheStep() {
        // tag::sweep[]
        EpsSweep.Result sweep = EpsSweep.op("tanh", Backends.get(), 1);
        System.out.print(sweep.table());
        EpsSweep.Point best = sweep.series(DType.FLOAT64).best(true);   // the smallest central-difference error
        System.out.println("float64 central differences are best at eps = " + best.eps());
        // end::sweep[]
        assertTrue(best.eps() >= 1e-7 && best.eps() <= 1e-3, "near the cube root of 1e-16: " + best.eps());
        EpsSweep.Point best32 = sweep.series(DType.FLOAT32).best(true);
        assertTrue(best32.eps() >= 1e-4 && best32.eps() <= 1e-1, "near the cube root of 6e-8: " + best32.eps());
        assertTrue(sweep.series(DType.FLOAT64).best(false).eps() < best.eps(), "forward differences want a smaller step");
    }
}
