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

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Optimizers bound to parameter lists (two models on one tape) and per-parameter clipping (Knet's gclip), in closed form. */
class OptimizerBindingTest {
    private final Backend b = BackendUnderTest.get("reference");

    private Param param(double... v) { return new Param(b.memory().fromArray(v, Shape.of(v.length), DType.FLOAT64)); }

    private Tensor tensor(double... v) { return b.memory().fromArray(v, Shape.of(v.length), DType.FLOAT64); }

    @Test void twoOptimizersTrainTwoModelsFromOneTape() {
        Param g = param(1, 2), d = param(3);
        Optimizer gOpt = Optimizers.sgd(0.1).bind(List.of(g)), dOpt = Optimizers.sgd(1).bind(List.of(d));
        // L = Σ g·d² : ∂L/∂g = d² = (9, 9), ∂L/∂d = 2·d·Σg = 18
        Tape tape = AutoGrad.diff(() -> Ops.sum(Ops.mul(g, Ops.square(d))));
        dOpt.step(tape);
        assertArrayEquals(new double[]{1, 2}, g.data().toDoubleArray(), 0, "the discriminator's step leaves the generator alone");
        assertArrayEquals(new double[]{-15}, d.data().toDoubleArray(), 1e-15);
        gOpt.step(tape);
        assertArrayEquals(new double[]{1 - 0.9, 2 - 0.9}, g.data().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[]{-15}, d.data().toDoubleArray(), 0);
        assertEquals(1, gOpt.steps());
        assertEquals(List.of(g), gOpt.bound());
        assertTrue(gOpt.toString().contains("bound to 1 params"), gOpt.toString());
    }

    @Test void stepWithAnExplicitListSkipsParametersWithoutGradient() {
        Param w = param(1), unused = param(5);
        Optimizer opt = Optimizers.adam(0.1);
        opt.step(AutoGrad.diff(() -> Ops.sum(Ops.square(w))), List.of(w, unused));
        assertArrayEquals(new double[]{5}, unused.data().toDoubleArray(), 0);
        assertArrayEquals(new double[]{1 - 0.1 * 2 / (2 + 1e-8)}, w.data().toDoubleArray(), 1e-15);   // Adam's first step: lr·g/(|g| + ε)
        assertTrue(opt.state(unused).isEmpty(), "no state for a parameter never updated");
    }

    @Test void perParameterClippingScalesEachGradientByItsOwnNorm() {
        // ‖(3, 4)‖ = 5 > 2 → (1.2, 1.6); ‖(0.3, 0.4)‖ = 0.5 ≤ 2 → unchanged (Knet's gclip; a global clip would scale both)
        List<Tensor> out = Optimizers.sgd(1).clipNormEach(2).clip(List.of(tensor(3, 4), tensor(0.3, 0.4)));
        assertArrayEquals(new double[]{1.2, 1.6}, out.get(0).toDoubleArray(), 1e-15);
        assertArrayEquals(new double[]{0.3, 0.4}, out.get(1).toDoubleArray(), 1e-15);
        // then the global norm: per-parameter first (norm of the two becomes √(4 + 0.25)), then scaled to 1
        List<Tensor> both = Optimizers.sgd(1).clipNormEach(2).clipNorm(1).clip(List.of(tensor(3, 4), tensor(0.3, 0.4)));
        double s = 1 / (Math.sqrt(4 + 0.25) + 1e-6);
        assertArrayEquals(new double[]{1.2 * s, 1.6 * s}, both.get(0).toDoubleArray(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Optimizers.sgd(1).clipNormEach(0));
        assertThrows(IllegalArgumentException.class, () -> Optimizers.sgd(1).bind(List.of()));
    }
}
