package io.github.knetj.train;

import io.github.knetj.api.Backend;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.data.Minibatch;
import io.github.knetj.optim.Optimizers;
import io.github.knetj.tck.BackendUnderTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run whose loss becomes NaN or infinite stops at that step with the loss and the first non-finite parameter. */
class NonFiniteGuardTest {
    @Test
    void aDivergingRunStopsAtTheFirstNonFiniteLossNamingTheParameter() {
        Backend before = Defaults.backend();
        Defaults.backend(BackendUnderTest.get("reference"));
        try {
            TrainerTest.Mlp model = TrainerTest.Mlp.create(5);
            Minibatch train = TrainerTest.clusters(12, 6, 4);
            Trainer t = new Trainer().progress(Trainer.Progress.OFF).progressTo(new PrintStream(new ByteArrayOutputStream(), true))
                    .onStep(new NonFiniteGuard(model));
            // SGD at 1e30 sends the weights to ±Infinity in one step, and the next loss is NaN.
            var e = assertThrows(NonFiniteGuard.NonFiniteException.class, () -> t.fit(model, train, Optimizers.sgd(1e30), 3));
            assertTrue(e.getMessage().matches("training diverged at step \\d+: the loss is (NaN|Infinity); parameter '\\w+' \\[\\d+(, \\d+)*\\] holds .*"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("--allow-nonfinite"), e.getMessage());
            // Without the guard the same run goes on to the end, as --allow-nonfinite asks.
            TrainerTest.Mlp again = TrainerTest.Mlp.create(5);
            History h = new Trainer().progress(Trainer.Progress.OFF).progressTo(new PrintStream(new ByteArrayOutputStream(), true))
                    .fit(again, train, Optimizers.sgd(1e30), 3);
            assertEquals(3, h.epochs().size());
            assertTrue(Double.isNaN(h.epochs().get(2).trainLoss()), "loss " + h.epochs().get(2).trainLoss());
        } finally {
            Defaults.backend(before);
        }
    }

    @Test
    void aFiniteLossPassesAndTheScanSaysWhenEveryParameterIsFinite() {
        Backend before = Defaults.backend();
        Defaults.backend(BackendUnderTest.get("reference"));
        try {
            TrainerTest.Mlp model = TrainerTest.Mlp.create(5);
            new NonFiniteGuard(model).check(1, 0.5);
            assertEquals("every parameter is still finite (the loss overflowed on this batch)", NonFiniteGuard.firstNonFinite(model));
            var e = assertThrows(NonFiniteGuard.NonFiniteException.class, () -> new NonFiniteGuard(model).check(7, Double.POSITIVE_INFINITY));
            assertTrue(e.getMessage().startsWith("training diverged at step 7: the loss is Infinity; every parameter is still finite"), e.getMessage());
        } finally {
            Defaults.backend(before);
        }
    }
}
