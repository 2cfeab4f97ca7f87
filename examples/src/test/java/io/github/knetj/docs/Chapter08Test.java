package io.github.knetj.docs;

import io.github.knetj.api.DType;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.optim.LearningRate;
import io.github.knetj.optim.Optimizer;
import io.github.knetj.optim.Optimizers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.knetj.autograd.AutoGrad.*;
import static io.github.knetj.autograd.AutoGrad.*;
import static io.github.knetj.autograd.Ops.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chapter 8, optimizers: the samples of docs/08-optimizers.md, run and checked. */
class Chapter08Test {
    @AfterEach
    void restore() { Defaults.dtype(DType.FLOAT32); }

    @Test
    void sgdMomentumAndAdamInANarrowValley() {
        Defaults.dtype(DType.FLOAT64);
        // tag::valley[]
        Map<String, Optimizer> optimizers = new LinkedHashMap<>();
        optimizers.put("sgd", Optimizers.sgd(0.019));              // just below 2/100, where sgd would diverge
        optimizers.put("momentum", Optimizers.momentum(0.019, 0.9));
        optimizers.put("adam", Optimizers.adam(0.1));
        Map<String, Double> distance = new LinkedHashMap<>();
        for (var e : optimizers.entrySet()) {
            Param w = param(new double[]{1, 1}, 2);
            Value c = array(new double[]{1, 100}, 2);                // curvatures 1 and 100: a long, narrow valley
            for (int step = 0; step < 100; step++) e.getValue().step(diff(() -> scale(sum(mul(c, square(w))), 0.5)));
            distance.put(e.getKey(), Math.hypot(w.data().toDoubleArray()[0], w.data().toDoubleArray()[1]));
        }
        System.out.println(distance);   // how far from the minimum at 0 each got in 100 steps
        // end::valley[]
        assertEquals(Math.pow(1 - 0.019, 100), distance.get("sgd"), 0.01, "sgd shrinks the flat direction by (1 − lr) per step");
        assertTrue(distance.get("momentum") < distance.get("sgd") / 10, distance.toString());
        assertTrue(distance.get("adam") < distance.get("sgd"), distance.toString());
    }

    @Test
    void stateClippingAndSchedules() {
        Defaults.dtype(DType.FLOAT64);
        // tag::state[]
        Optimizer adam = Optimizers.adam(1e-3).clipNorm(1.0).schedule(LearningRate.warmup(100, LearningRate.cosine(10_000, 1e-5)));
        Param w = param(new double[]{1, 2}, 2);
        adam.step(diff(() -> sum(square(w))));
        System.out.println(adam.stateNames() + " " + adam.state(w));   // [exp_avg, exp_avg_sq]: Adam's two moving averages (PyTorch's names)
        System.out.println(adam.steps() + " " + adam.lr());              // 1 step taken; the warm-up's second rate, 2e-5
        // end::state[]
        assertEquals(List.of("exp_avg", "exp_avg_sq"), adam.stateNames());
        assertEquals(1, adam.steps());
        assertEquals(2e-5, adam.lr(), 1e-12);
    }
}
