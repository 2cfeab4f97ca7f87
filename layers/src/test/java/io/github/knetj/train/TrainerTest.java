package io.github.knetj.train;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.autograd.Ops;
import io.github.knetj.data.Minibatch;
import io.github.knetj.io.ModelIO;
import io.github.knetj.layers.Layer;
import io.github.knetj.optim.Optimizer;
import io.github.knetj.optim.Optimizers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The training loop on a tiny synthetic problem: it learns, calls back, stops early, plots, and saves what it learned. */
class TrainerTest {
    @TempDir Path dir;

    /** A two-layer perceptron written as a user would write one. */
    record Mlp(Param w1, Param b1, Param w2, Param b2) implements Layer {
        static Mlp create(long seed) {
            Random r = new Random(seed);
            return new Mlp(param(r, 8, 2), param(null, 8), param(r, 3, 8), param(null, 3));
        }

        private static Param param(Random r, int... dims) {
            Backend b = Defaults.backend();
            double[] v = new double[Shape.of(dims).sizeInt()];
            if (r != null) for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian() * 0.5;
            return new Param(b.memory().fromArray(v, Shape.of(dims), Defaults.dtype()));
        }

        @Override public Value apply(Value x) { return Ops.linear(Ops.relu(Ops.linear(x, w1, b1)), w2, b2); }
    }

    /** Three well-separated clusters in the plane, n points each, labels 0–2. */
    static Minibatch clusters(int n, long seed, int batch) {
        Random r = new Random(seed);
        double[][] centers = {{2, 0}, {-1, 1.7}, {-1, -1.7}};
        float[] x = new float[3 * n * 2];
        int[] y = new int[3 * n];
        for (int i = 0; i < 3 * n; i++) {
            y[i] = i % 3;
            x[2 * i] = (float) (centers[y[i]][0] + 0.3 * r.nextGaussian());
            x[2 * i + 1] = (float) (centers[y[i]][1] + 0.3 * r.nextGaussian());
        }
        return Minibatch.of(x, y, new int[]{2}, batch);
    }

    private static PrintStream sink(ByteArrayOutputStream out) { return new PrintStream(out, true, StandardCharsets.UTF_8); }

    /** Batches of 10 cut 4, 3, 3 on the CPU backend's threads: the same losses and accuracies as whole batches, to rounding. */
    @Test void shardedStepsTrainAsWholeBatchesDo() {
        List<History> runs = new ArrayList<>();
        for (int shards : new int[]{1, 3}) {
            Mlp model = Mlp.create(1);
            runs.add(new Trainer().test(clusters(10, 4, 15)).progress(Trainer.Progress.OFF).shards(shards)
                    .fit(model, clusters(20, 2, 10).shuffle(3), Optimizers.adam(0.05), 4));
        }
        for (int e = 0; e < 4; e++) {
            EpochStats whole = runs.get(0).epochs().get(e), sharded = runs.get(1).epochs().get(e);
            assertEquals(whole.trainLoss(), sharded.trainLoss(), 1e-4 * Math.max(1, whole.trainLoss()), "epoch " + (e + 1) + " train loss");
            assertEquals(whole.trainAccuracy(), sharded.trainAccuracy(), 1e-12, "epoch " + (e + 1) + " train accuracy");
            assertEquals(whole.testLoss(), sharded.testLoss(), 1e-4 * Math.max(1, whole.testLoss()), "epoch " + (e + 1) + " test loss");
        }
    }

    @Test void shardsAreRefusedForBatchNormAndBelowOne() {
        var model = new io.github.knetj.layers.Chain(new io.github.knetj.layers.Dense(2, 8), new io.github.knetj.layers.BatchNorm(8),
                new io.github.knetj.layers.Dense(8, 3, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer().progress(Trainer.Progress.OFF).shards(2).fit(model, clusters(4, 2, 6), Optimizers.adam(0.05), 1));
        assertTrue(e.getMessage().contains("batch-norm statistics"), e.getMessage());
        assertEquals("Trainer.shards: expected a count >= 1, got 0", assertThrows(IllegalArgumentException.class, () -> new Trainer().shards(0)).getMessage());
    }

    @Test void smokeTestAdamLearnsToNearZeroLossAndCallbacksFire() {
        Mlp model = Mlp.create(1);
        Minibatch train = clusters(20, 2, 10).shuffle(3);
        Minibatch test = clusters(10, 4, 15);
        List<StepInfo> steps = new ArrayList<>();
        List<EpochStats> epochs = new ArrayList<>();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        History h = new Trainer().test(test).onStep(steps::add).onEpoch(epochs::add).progress(Trainer.Progress.LINES).progressTo(sink(log))
                .fit(model, train, Optimizers.adam(0.05), 25);
        assertEquals(25, h.epochs().size());
        assertFalse(h.stoppedEarly());
        assertEquals(25 * 6, steps.size());
        assertEquals(h.epochs(), epochs);
        assertEquals(150, steps.get(149).step());
        assertEquals(6, steps.get(0).batches());
        EpochStats last = h.last();
        assertTrue(last.trainLoss() < 0.02, "train loss " + last.trainLoss());
        assertTrue(h.epochs().get(0).trainLoss() > 10 * last.trainLoss());
        assertEquals(1.0, last.testAccuracy());
        assertEquals(60, last.examples());
        assertTrue(last.seconds() > 0 && last.examplesPerSecond() > 0);
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("epoch 25/25: train loss"), log.toString(StandardCharsets.UTF_8));
        assertTrue(last.toJson().startsWith("{\"epoch\": 25, \"train_loss\": "), last.toJson());
        Trainer.Evaluation ev = Trainer.evaluate(model, test);
        assertEquals(30, ev.examples());
        assertEquals(last.testLoss(), ev.loss(), 1e-6);
    }

    @Test void earlyStoppingStopsWhenNothingImproves() {
        Mlp model = Mlp.create(5);
        History h = new Trainer().earlyStopping(EarlyStopping.onTrainLoss(2)).progress(Trainer.Progress.OFF).progressTo(sink(new ByteArrayOutputStream()))
                .fit(model, clusters(4, 6, 4), Optimizers.sgd(0), 20);   // a zero learning rate never improves the loss
        assertEquals(3, h.epochs().size());
        assertTrue(h.stoppedEarly());
        assertTrue(h.stopReason().contains("train loss has not improved for 2 epochs"), h.stopReason());
        Trainer t = new Trainer().earlyStopping(EarlyStopping.onTestAccuracy(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.fit(model, clusters(4, 6, 4), Optimizers.sgd(0), 2));
        assertTrue(e.getMessage().contains("test set"), e.getMessage());
    }

    @Test void aCallbackCanStopTraining() {
        Trainer t = new Trainer().progress(Trainer.Progress.OFF).progressTo(sink(new ByteArrayOutputStream()));
        t.onStep(s -> { if (s.step() == 5) t.stop("enough"); });
        History h = t.fit(Mlp.create(7), clusters(4, 8, 2), Optimizers.sgd(0.1), 10);
        assertEquals(1, h.epochs().size());
        assertEquals("enough", h.stopReason());
        assertEquals(5 * 2, h.last().examples());
    }

    @Test void plotWritesAValidPng() throws IOException {
        History h = new Trainer().test(clusters(3, 9, 3)).progress(Trainer.Progress.OFF).progressTo(sink(new ByteArrayOutputStream()))
                .fit(Mlp.create(8), clusters(4, 10, 4), Optimizers.adam(0.01), 3);
        Path png = dir.resolve("plots/history.png");
        Plot.save(h, png, "clusters");
        byte[] b = Files.readAllBytes(png);
        assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, java.util.Arrays.copyOf(b, 8));
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1280, img.getWidth());
        assertEquals(420, img.getHeight());
        try (var s = Files.list(png.getParent())) { assertEquals(1, s.count(), "no temporary file is left"); }
    }

    @Test void aSavedModelLoadsWithTheSameTestAccuracyAndResumes() throws IOException {
        Mlp model = Mlp.create(11);
        Minibatch train = clusters(10, 12, 10).shuffle(1), test = clusters(10, 13, 10);
        Optimizer opt = Optimizers.adam(0.02);
        Trainer t = new Trainer().progress(Trainer.Progress.OFF).progressTo(sink(new ByteArrayOutputStream()));
        t.fit(model, train, opt, 2);
        Path f = dir.resolve("mlp.safetensors");
        ModelIO.save(f, model, opt);
        Mlp loaded = Mlp.create(99);
        Optimizer opt2 = Optimizers.adam(0.02);
        ModelIO.load(f, loaded, opt2);
        Trainer.Evaluation a = Trainer.evaluate(model, test), b = Trainer.evaluate(loaded, test);
        assertEquals(a.accuracy(), b.accuracy());
        assertEquals(a.loss(), b.loss(), 0);
        assertEquals(opt.steps(), opt2.steps());
        assertEquals(DType.FLOAT32 == Defaults.dtype() ? DType.FLOAT32 : DType.FLOAT64, loaded.w1().data().dtype());
    }
}
