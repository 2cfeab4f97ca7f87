package io.github.knetj.train;

import io.github.knetj.api.DType;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.data.Batch;
import io.github.knetj.data.Minibatch;
import io.github.knetj.layers.Linear;
import io.github.knetj.layers.Losses;
import io.github.knetj.optim.Optimizers;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.github.knetj.autograd.Ops.*;
import static io.github.knetj.layers.LayerTesting.on;
import static org.junit.jupiter.api.Assertions.*;

/** Minibatch with float targets and x-only data, the general Trainer.fit, and LoopProgress. */
class GeneralTrainerTest {
    /** y = 2·x₀ − 3·x₁ + 1 on a grid: a linear model reaches it exactly, so the loss must fall to ~0. */
    private static float[][] regression(int n) {
        float[] x = new float[2 * n], y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = (i % 7) / 7f - 0.5f;
            x[2 * i + 1] = (i % 5) / 5f - 0.5f;
            y[i] = 2 * x[2 * i] - 3 * x[2 * i + 1] + 1;
        }
        return new float[][]{x, y};
    }

    @Test void minibatchCarriesFloatTargetsAndXOnlyData() {
        on("reference", DType.FLOAT64, () -> {
            float[] x = {0, 1, 2, 3, 4, 5}, y = {10, 11, 12, 13, 14, 15};
            Minibatch m = Minibatch.of(x, y, new int[]{2}, new int[]{2}, 2).partial(true);
            List<Batch> bs = new ArrayList<>();
            m.forEach(bs::add);
            assertEquals(2, bs.size());
            assertArrayEquals(new int[]{2, 2}, bs.get(0).targets().shape().dims());
            assertArrayEquals(new double[]{10, 11, 12, 13}, bs.get(0).targets().data().toDoubleArray(), 0);
            assertArrayEquals(new double[]{14, 15}, bs.get(1).targets().data().toDoubleArray(), 0);
            assertNull(bs.get(0).labels());
            assertArrayEquals(new int[]{2}, m.ysize());

            Minibatch xonly = Minibatch.of(x, new int[]{3}, 1).shuffle(3);
            int rows = 0;
            for (Batch b : xonly) { assertNull(b.labels()); assertNull(b.targets()); assertEquals(1, b.size()); rows++; }
            assertEquals(2, rows);
            // shuffled targets stay with their inputs
            for (Batch b : Minibatch.of(x, y, new int[]{2}, new int[]{2}, 1).shuffle(5)) {
                double[] xs = b.x().data().toDoubleArray(), ys = b.targets().data().toDoubleArray();
                assertEquals(xs[0] + 10, ys[0], 0);
            }
            assertThrows(IllegalArgumentException.class, () -> Minibatch.of(x, new float[]{1, 2}, new int[]{2}, new int[]{2}, 1));
        });
    }

    @Test void fitsARegressionWithAnyLossAndEvaluatesIt() {
        on("reference", DType.FLOAT64, () -> {
            float[][] d = regression(70);
            Minibatch train = Minibatch.of(d[0], d[1], new int[]{2}, new int[]{1}, 10).shuffle(1);
            Linear model = new Linear(2, 1);
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            List<StepInfo> steps = new ArrayList<>();
            Objective<Linear, Batch> mse = (m, b) -> Losses.mse(m.apply(b.x()), b.targets());
            History h = new Trainer().progress(Trainer.Progress.LINES).progressTo(new PrintStream(log, true, StandardCharsets.UTF_8))
                    .onStep(steps::add).fit(model, train, train, mse, Optimizers.adam(0.05), 60);
            assertEquals(60, h.epochs().size());
            assertEquals(7 * 60, steps.size());
            assertTrue(Double.isNaN(h.last().trainAccuracy()));
            assertEquals(70, h.last().examples());
            assertTrue(h.last().testLoss() < 1e-4, "test loss " + h.last().testLoss());
            double[] w = model.w().data().toDoubleArray(), b = model.b().data().toDoubleArray();
            assertArrayEquals(new double[]{2, -3}, w, 0.02);
            assertEquals(1, b[0], 0.02);
            assertEquals(h.last().testLoss(), Trainer.evaluate(model, train, mse).loss(), 1e-12);
            String text = log.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("epoch 60/60: train loss") && !text.contains("acc"), text.lines().reduce((a, c) -> c).orElse(""));
        });
    }

    @Test void fitsAnyBatchTypeAndStopsEarly() {
        on("reference", DType.FLOAT64, () -> {
            record Pair(Value x, Value y) {}
            List<Pair> data = List.of(new Pair(array(new double[]{1}, 1, 1), array(new double[]{3}, 1, 1)));
            Linear model = new Linear(1, 1);
            History h = new Trainer().progress(Trainer.Progress.OFF).earlyStopping(EarlyStopping.onTrainLoss(2))
                    .fit(model, data, (Linear m, Pair p) -> sum(square(sub(m.apply(p.x()), p.y()))), Optimizers.sgd(0), 10);
            assertTrue(h.stoppedEarly(), "a loss that cannot fall (lr 0) stops after the patience");
            assertEquals(1, h.last().examples(), "a batch of a type the Trainer does not know counts as one");
        });
    }

    @Test void progressWrapsAHandWrittenLoop() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        double[] last = {0};
        int n = 0;
        for (Integer i : LoopProgress.progress(List.of(1, 2, 3), () -> last[0]).to(Trainer.Progress.LINES, new PrintStream(log, true, StandardCharsets.UTF_8), "loop")) {
            last[0] = i;
            n++;
        }
        assertEquals(3, n);
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("loop: 3 items in"), log.toString(StandardCharsets.UTF_8));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("mean loss 2.0000"), log.toString(StandardCharsets.UTF_8));
    }
}
