package io.github.knetj.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.data.Minibatch;
import io.github.knetj.layers.Init;
import io.github.knetj.layers.Linear;
import io.github.knetj.optim.Optimizers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static io.github.knetj.autograd.AutoGrad.*;
import static io.github.knetj.autograd.Ops.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON-lines metrics log: a line per step and per epoch with every field, gradient norms checked by hand, written whole. */
class MetricsLogTest {
    /** The backend the other tests of this JVM expect, put back after each test. */
    private final io.github.knetj.api.Backend before = Defaults.backend();

    @AfterEach
    void restoreDefaults() {
        Defaults.backend(before);
        Defaults.dtype(DType.FLOAT32);
    }

    @Test
    void logsEveryStepAndEpochAndAppearsOnlyWhenClosed(@TempDir Path dir) throws IOException {
        Defaults.backend(Backends.get("reference"));
        Defaults.dtype(DType.FLOAT64);
        try {
            Init.seed(4);
            float[] x = new float[40 * 3];
            int[] y = new int[40];
            for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i);
            for (int i = 0; i < y.length; i++) y[i] = i % 2;
            Minibatch data = Minibatch.of(x, y, new int[]{3}, 10);
            Path file = dir.resolve("run.jsonl");
            Trainer trainer = new Trainer().progress(Trainer.Progress.OFF).test(data);
            try (MetricsLog log = MetricsLog.to(file)) {
                log.attach(trainer);
                trainer.fit(new Linear(3, 2), data, Optimizers.sgd(0.1), 2);
                assertFalse(Files.exists(file), "nothing at the target until the log is closed");
                assertEquals(8, log.steps().size());
            }
            List<JsonNode> lines;
            ObjectMapper json = new ObjectMapper();
            try (Stream<String> s = Files.lines(file)) { lines = s.map(l -> read(json, l)).toList(); }
            assertEquals(10, lines.size(), "4 steps and an epoch, twice");
            JsonNode step = lines.get(0), epoch = lines.get(4);
            assertEquals("step", step.get("kind").asText());
            for (String f : List.of("epoch", "batch", "step", "loss", "accuracy", "lr", "grad_norm", "examples", "examples_per_second", "seconds"))
                assertTrue(step.has(f), "a step line has " + f + ": " + step);
            assertEquals(0.1, step.get("lr").asDouble());
            assertTrue(step.get("grad_norm").asDouble() > 0);
            assertEquals("epoch", epoch.get("kind").asText());
            assertEquals(1, epoch.get("epoch").asInt());
            assertTrue(epoch.has("test_accuracy") && epoch.has("train_loss") && epoch.has("seconds"), epoch.toString());
            assertEquals(8, lines.get(8).get("step").asInt());
            assertEquals("epoch", lines.get(9).get("kind").asText());
            try (Stream<Path> s = Files.list(dir)) { assertEquals(1, s.count(), "the temporary file is gone"); }
        } finally {
            Defaults.dtype(DType.FLOAT32);
        }
    }

    @Test
    void theGradientNormIsTheL2NormOfEveryGradient(@TempDir Path dir) throws IOException {
        Defaults.backend(Backends.get("reference"));
        Defaults.dtype(DType.FLOAT64);
        Path file = dir.resolve("n.jsonl");
        try (MetricsLog log = MetricsLog.to(file)) {
            Param w = param(new double[]{1, 2}, 2), c = param(new double[]{3}, 1);
            // f = sum(w²) + sum(2c): the gradients are 2w = (2, 4) and 2, so the norm is √(4 + 16 + 4) = √24.
            Tape t = diff(() -> add(sum(square(w)), sum(mul(c, array(new double[]{2}, 1)))));
            log.gradients(t);
            log.step(new StepInfo(1, 1, 1, 1, t.value(), 1, 1, 0.5));
        } finally {
            Defaults.dtype(DType.FLOAT32);
        }
        JsonNode line = new ObjectMapper().readTree(Files.readAllLines(file).get(0));
        assertEquals(Math.sqrt(24), line.get("grad_norm").asDouble(), 1e-5);
        assertEquals(11.0, line.get("loss").asDouble(), 1e-9);   // 1 + 4 + 2·3
        assertEquals(0.5, line.get("lr").asDouble());
    }

    private static JsonNode read(ObjectMapper json, String line) {
        try { return json.readTree(line); } catch (IOException e) { throw new AssertionError("not JSON: " + line, e); }
    }
}
