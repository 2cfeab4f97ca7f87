package io.github.knetj.spark;

import io.github.knetj.api.DType;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.layers.Init;
import io.github.knetj.layers.Layer;
import io.github.knetj.layers.Params;
import io.github.knetj.optim.Optimizer;
import io.github.knetj.optim.Optimizers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Epoch checkpoints: a run stopped after epoch 1 and resumed matches an uninterrupted one, bit for bit with two workers. */
class CheckpointResumeTest {
    private final DType savedDtype = Defaults.dtype();

    @AfterEach void restoreDtype() { Defaults.dtype(savedDtype); }

    @Test void resumedRunMatchesUninterruptedRun(@TempDir Path tmp) throws Exception {
        Defaults.dtype(DType.FLOAT64);
        ModelFactory factory = SyncEquivalenceTest.smallMlp();
        ShardSource source = TestSpark.synthetic(8, 16 * 6, new int[]{12}, 4);
        try (ShardedData data = ShardedData.of(TestSpark.context(), source, 2)) {
            Init.seed(3);
            Layer whole = factory.get();
            Optimizer wholeOpt = Optimizers.adam(0.01);
            new SparkTrainer(TestSpark.context(), factory).globalBatch(16).checkpoints(tmp.resolve("a"), false).fit(whole, wholeOpt, data, 2);

            Init.seed(3);
            Layer first = factory.get();
            SparkRun one = new SparkTrainer(TestSpark.context(), factory).globalBatch(16).checkpoints(tmp.resolve("b"), false)
                    .fit(first, Optimizers.adam(0.01), data, 1);
            assertEquals(1, one.epochs().size());
            // A new driver: a fresh model with other initial values, and a fresh optimizer; everything comes from the file.
            Init.seed(99);
            Layer resumed = factory.get();
            Optimizer resumedOpt = Optimizers.adam(0.01);
            SparkRun two = new SparkTrainer(TestSpark.context(), factory).globalBatch(16).checkpoints(tmp.resolve("b"), true)
                    .fit(resumed, resumedOpt, data, 2);
            assertEquals(2, two.firstEpoch());
            assertEquals(1, two.epochs().size());
            assertEquals(wholeOpt.steps(), resumedOpt.steps());
            List<Param> a = Params.of(whole), b = Params.of(resumed);
            for (int i = 0; i < a.size(); i++)
                assertArrayEquals(a.get(i).data().backend().memory().toDoubleArray(a.get(i).data()),
                        b.get(i).data().backend().memory().toDoubleArray(b.get(i).data()), 0.0, "parameter " + i);
            try (var files = Files.list(tmp.resolve("b"))) {
                assertEquals(List.of(Checkpoint.FILE), files.map(p -> p.getFileName().toString()).toList(), "only the finished checkpoint, no temporary file");
            }

            // Resuming with another global batch would train another data order: refused, naming both settings.
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                    new SparkTrainer(TestSpark.context(), factory).globalBatch(8).checkpoints(tmp.resolve("b"), true).fit(factory.get(), Optimizers.adam(0.01), data, 3));
            assertTrue(e.getMessage().contains("global_batch=16") && e.getMessage().contains("global_batch=8"), e.getMessage());
        }
    }

    @Test void badSettingsAreClearErrors() throws Exception {
        ModelFactory factory = SyncEquivalenceTest.smallMlp();
        try (ShardedData data = ShardedData.of(TestSpark.context(), TestSpark.synthetic(1, 40, new int[]{12}, 4), 2)) {
            IllegalArgumentException uneven = assertThrows(IllegalArgumentException.class,
                    () -> new SparkTrainer(TestSpark.context(), factory).globalBatch(15).fit(factory.get(), Optimizers.sgd(0.1), data, 1));
            assertTrue(uneven.getMessage().contains("does not split evenly over 2 workers"), uneven.getMessage());
            IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
                    () -> new SparkTrainer(TestSpark.context(), factory).globalBatch(64).fit(factory.get(), Optimizers.sgd(0.1), data, 1));
            assertTrue(tooBig.getMessage().contains("holds no whole local batch of 32"), tooBig.getMessage());
            IllegalArgumentException otherModel = assertThrows(IllegalArgumentException.class,
                    () -> new SparkTrainer(TestSpark.context(), factory).globalBatch(8).fit(SparkModels.mlp(), Optimizers.sgd(0.1), data, 1));
            assertTrue(otherModel.getMessage().contains("Weights"), otherModel.getMessage());
            IllegalArgumentException otherOptimizer = assertThrows(IllegalArgumentException.class,
                    () -> new SparkTrainer(TestSpark.context(), factory).globalBatch(8).localSgd(2, () -> Optimizers.sgd(0.1))
                            .fit(factory.get(), Optimizers.adam(0.1), data, 1));
            assertTrue(otherOptimizer.getMessage().contains("makes 'sgd' but fit was given 'adam'"), otherOptimizer.getMessage());
        }
    }
}
