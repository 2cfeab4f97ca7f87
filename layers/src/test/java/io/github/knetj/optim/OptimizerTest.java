package io.github.knetj.optim;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.Ops;
import io.github.knetj.tck.BackendUnderTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Schedules, clipping, the step over a tape, state export and restore, and argument errors. */
class OptimizerTest {
    private final Backend b = BackendUnderTest.get("reference");

    private Param param(double... v) { return new Param(b.memory().fromArray(v, Shape.of(v.length), DType.FLOAT64)); }

    @Test void schedules() {
        assertEquals(0.1, LearningRate.constant().at(0.1, 99));
        LearningRate step = LearningRate.step(10, 0.5);
        assertEquals(0.1, step.at(0.1, 9), 1e-15);
        assertEquals(0.05, step.at(0.1, 10), 1e-15);
        assertEquals(0.1 * Math.pow(0.9, 3), LearningRate.exponential(0.9).at(0.1, 3), 1e-15);
        LearningRate cos = LearningRate.cosine(100, 0.001);
        assertEquals(0.1, cos.at(0.1, 0), 1e-15);
        assertEquals((0.1 + 0.001) / 2, cos.at(0.1, 50), 1e-12);
        assertEquals(0.001, cos.at(0.1, 500), 1e-15);
        LearningRate warm = LearningRate.warmup(4, LearningRate.constant());
        assertEquals(0.025, warm.at(0.1, 0), 1e-15);
        assertEquals(0.1, warm.at(0.1, 3), 1e-15);
        assertEquals(0.1, warm.at(0.1, 400), 1e-15);
    }

    @Test void stepAdvancesTheScheduleAndUpdatesEveryParam() {
        Param w = param(1, 2), c = param(3);
        Optimizer opt = Optimizers.sgd(1).schedule(LearningRate.step(1, 0.5));
        Tape tape = AutoGrad.diff(() -> Ops.add(Ops.sum(w), Ops.sum(Ops.square(c))));   // grads 1, 1 and 6
        opt.step(tape);
        assertArrayEquals(new double[]{0, 1}, w.data().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[]{-3}, c.data().toDoubleArray(), 1e-15);
        assertEquals(1, opt.steps());
        assertEquals(0.5, opt.lr(), 1e-15);
    }

    @Test void clipByGlobalNormAndByValue() {
        Tensor g1 = b.memory().fromArray(new double[]{3, 0}, Shape.of(2), DType.FLOAT64);
        Tensor g2 = b.memory().fromArray(new double[]{4}, Shape.of(1), DType.FLOAT64);
        var clipped = Optimizers.sgd(1).clipNorm(1).clip(java.util.List.of(g1, g2));   // norm 5 → scale ≈ 1/5
        assertArrayEquals(new double[]{0.6, 0}, clipped.get(0).toDoubleArray(), 1e-6);
        assertArrayEquals(new double[]{0.8}, clipped.get(1).toDoubleArray(), 1e-6);
        var small = Optimizers.sgd(1).clipNorm(10).clip(java.util.List.of(g1, g2));
        assertSame(g1, small.get(0));
        var byValue = Optimizers.sgd(1).clipValue(2).clip(java.util.List.of(b.memory().fromArray(new double[]{-5, 1, 3}, Shape.of(3), DType.FLOAT64)));
        assertArrayEquals(new double[]{-2, 1, 2}, byValue.get(0).toDoubleArray(), 0);
    }

    @Test void stateIsExposedAndRestoredIntoAFreshOptimizer() {
        Tensor g = b.memory().fromArray(new double[]{0.5, -1}, Shape.of(2), DType.FLOAT64);
        Param p = param(1, 2), q = param(1, 2);
        Optimizer a = Optimizers.adam(0.1);
        assertTrue(a.state(p).isEmpty());
        a.update(p, g);
        a.update(q, g);
        Map<String, Tensor> st = a.state(p);
        assertEquals(java.util.List.of("exp_avg", "exp_avg_sq", "step"), java.util.List.copyOf(st.keySet()));
        assertEquals(1, st.get("step").item());
        Optimizer fresh = Optimizers.adam(0.1);
        fresh.restore(q, Map.copyOf(st));
        a.update(p, g);
        fresh.update(q, g);
        assertArrayEquals(p.data().toDoubleArray(), q.data().toDoubleArray(), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fresh.restore(q, Map.of("step", st.get("step"))));
        assertTrue(e.getMessage().contains("exp_avg"), e.getMessage());
    }

    @Test void byNameAndErrors() {
        for (String n : Optimizers.NAMES) assertEquals(n, Optimizers.byName(n, 0.01).name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizers.byName("lion", 0.01));
        assertTrue(e.getMessage().contains("adamw"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Optimizers.sgd(-1));
        assertThrows(IllegalArgumentException.class, () -> Optimizers.adam(1).clipNorm(0));
        Param p = param(1, 2);
        Tensor wrong = b.memory().fromArray(new double[]{1}, Shape.of(1), DType.FLOAT64);
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.sgd(1).update(p, wrong));
        assertTrue(e.getMessage().contains("[1]") && e.getMessage().contains("[2]"), e.getMessage());
    }
}
