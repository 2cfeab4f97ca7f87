package io.github.knetj.spark;

import io.github.knetj.api.DType;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.data.Batch;
import io.github.knetj.layers.Init;
import io.github.knetj.layers.Layer;
import io.github.knetj.layers.Params;
import io.github.knetj.optim.Optimizer;
import io.github.knetj.optim.Optimizers;
import io.github.knetj.train.Trainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two workers in local[2] on a global batch B give the parameters one process gets on the same global batches
 * (the single-process Trainer, fed Shard.globalBatch), after 20 steps, for an MLP and for LeNet, in float64 and
 * float32.
 */
class SyncEquivalenceTest {
    static final int STEPS = 20;
    private final DType savedDtype = Defaults.dtype();

    @AfterEach void restoreDtype() { Defaults.dtype(savedDtype); }

    static ModelFactory smallMlp() { return () -> new io.github.knetj.layers.Chain(new io.github.knetj.layers.Dense(12, 16), new io.github.knetj.layers.Dense(16, 4, null)); }

    @Test void mlpFloat64() throws Exception { check(smallMlp(), new int[]{12}, 4, 16, DType.FLOAT64, () -> Optimizers.adam(0.01), 1e-12); }

    @Test void mlpFloat32() throws Exception { check(smallMlp(), new int[]{12}, 4, 16, DType.FLOAT32, () -> Optimizers.adam(0.01), 1e-5); }

    @Test void lenetFloat64() throws Exception { check(SparkModels::lenet, new int[]{1, 28, 28}, 10, 8, DType.FLOAT64, () -> Optimizers.momentum(0.05, 0.9), 1e-12); }

    @Test void lenetFloat32() throws Exception { check(SparkModels::lenet, new int[]{1, 28, 28}, 10, 8, DType.FLOAT32, () -> Optimizers.adam(1e-3), 1e-5); }

    /** Trains STEPS steps both ways and compares every parameter; {@code tol} bounds ‖spark − one process‖ / ‖one process‖. */
    static void check(ModelFactory factory, int[] xsize, int classes, int globalBatch, DType dtype, Supplier<Optimizer> optimizer, double tol) throws Exception {
        Defaults.dtype(dtype);
        int workers = 2;
        ShardSource source = TestSpark.synthetic(11, globalBatch * STEPS + 3, xsize, classes);   // +3: uneven shards, the rest dropped
        long seed = 5;

        Init.seed(42);
        Layer reference = factory.get();
        List<Batch> batches = new ArrayList<>();
        List<Shard> shards = ShardedData.local(source, workers);
        for (int t = 0; t < STEPS; t++) batches.add(Shard.globalBatch(shards, seed, 0, t, globalBatch / workers));
        new Trainer().progress(Trainer.Progress.OFF).fit(reference, batches, optimizer.get(), 1);

        Init.seed(42);
        Layer model = factory.get();
        try (ShardedData data = ShardedData.of(TestSpark.context(), source, workers)) {
            assertEquals(STEPS, data.stepsPerEpoch(globalBatch / workers));
            SparkRun run = new SparkTrainer(TestSpark.context(), factory).globalBatch(globalBatch).seed(seed).fit(model, optimizer.get(), data, 1);
            assertEquals(STEPS, run.exchanges());
            assertEquals((long) STEPS * globalBatch, run.last().examples());
        }
        double rel = relativeDistance(Params.of(model), Params.of(reference));
        System.out.printf("%s %s: ‖spark − one process‖ / ‖one process‖ = %.3e after %d steps (bound %.0e)%n",
                factory.get().getClass().getSimpleName() + Params.of(model).size(), dtype, rel, STEPS, tol);
        assertTrue(rel <= tol, "relative distance " + rel + " > " + tol);
        assertTrue(relativeDistanceFromStart(factory, model) > 1e-3, "training moved the parameters");
    }

    /** ‖a − b‖ / ‖b‖ over all parameters together. */
    static double relativeDistance(List<Param> a, List<Param> b) {
        double diff = 0, norm = 0;
        for (int i = 0; i < a.size(); i++) {
            double[] x = a.get(i).data().backend().memory().toDoubleArray(a.get(i).data());
            double[] y = b.get(i).data().backend().memory().toDoubleArray(b.get(i).data());
            assertEquals(y.length, x.length);
            for (int j = 0; j < x.length; j++) { diff += (x[j] - y[j]) * (x[j] - y[j]); norm += y[j] * y[j]; }
        }
        return Math.sqrt(diff / norm);
    }

    private static double relativeDistanceFromStart(ModelFactory factory, Layer trained) {
        Init.seed(42);
        return relativeDistance(Params.of(trained), Params.of(factory.get()));
    }
}
