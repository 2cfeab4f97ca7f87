package io.github.knetj.spark;

import io.github.knetj.api.DType;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.autograd.NNOps;
import io.github.knetj.data.Batch;
import io.github.knetj.layers.Init;
import io.github.knetj.layers.Layer;
import io.github.knetj.layers.Params;
import io.github.knetj.optim.Optimizer;
import io.github.knetj.optim.Optimizers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Local SGD on Spark against the same algorithm run worker by worker in one process, and against synchronous steps. */
class LocalSgdTest {
    private final DType savedDtype = Defaults.dtype();

    @AfterEach void restoreDtype() { Defaults.dtype(savedDtype); }

    /** One local step of plain SGD, then averaging, is w − lr·mean(g_k): the synchronous step. */
    @Test void oneLocalStepOfSgdIsTheSynchronousStep() throws Exception {
        Defaults.dtype(DType.FLOAT64);
        ModelFactory factory = SyncEquivalenceTest.smallMlp();
        ShardSource source = TestSpark.synthetic(3, 16 * 12, new int[]{12}, 4);
        try (ShardedData data = ShardedData.of(TestSpark.context(), source, 2)) {
            Init.seed(1);
            Layer sync = factory.get();
            new SparkTrainer(TestSpark.context(), factory).globalBatch(16).fit(sync, Optimizers.sgd(0.1), data, 1);
            Init.seed(1);
            Layer local = factory.get();
            SparkRun run = new SparkTrainer(TestSpark.context(), factory).globalBatch(16).localSgd(1, () -> Optimizers.sgd(0.1))
                    .fit(local, Optimizers.sgd(0.1), data, 1);
            assertEquals(12, run.exchanges());
            double rel = SyncEquivalenceTest.relativeDistance(Params.of(local), Params.of(sync));
            System.out.printf("local SGD K=1 vs synchronous, plain SGD: relative distance %.3e%n", rel);
            assertTrue(rel < 1e-13, "relative distance " + rel);
            Init.seed(1);
            double moved = SyncEquivalenceTest.relativeDistance(Params.of(local), Params.of(factory.get()));
            System.out.printf("  (training moved the parameters by %.3e relative)%n", moved);
            assertTrue(moved > 1e-3, "training moved the parameters by only " + moved);
        }
    }

    /** K = 4 local Adam steps per round, parameters and Adam's moments averaged: Spark equals one process doing the same. */
    @Test void fourLocalStepsOfAdamEqualTheOneProcessSimulation() throws Exception {
        Defaults.dtype(DType.FLOAT64);
        ModelFactory factory = SyncEquivalenceTest.smallMlp();
        int workers = 2, globalBatch = 16, k = 4, steps = 10;   // rounds of 4, 4 and 2 steps
        ShardSource source = TestSpark.synthetic(4, globalBatch * steps, new int[]{12}, 4);
        OptimizerFactory adam = () -> Optimizers.adam(0.01);
        long seed = 9;

        Init.seed(2);
        Layer spark = factory.get();
        Optimizer sparkOpt = adam.get();
        try (ShardedData data = ShardedData.of(TestSpark.context(), source, workers)) {
            SparkRun run = new SparkTrainer(TestSpark.context(), factory).globalBatch(globalBatch).seed(seed).localSgd(k, adam)
                    .fit(spark, sparkOpt, data, 1);
            assertEquals(3, run.exchanges());
        }

        Init.seed(2);
        Layer reference = factory.get();
        Optimizer refOpt = adam.get();
        List<Shard> shards = ShardedData.local(source, workers);
        for (int first = 0; first < steps; first += k) {
            int n = Math.min(k, steps - first);
            List<Layer> copies = new ArrayList<>();
            List<Optimizer> opts = new ArrayList<>();
            for (Shard shard : shards) {
                Layer copy = factory.get();
                Optimizer o = adam.get();
                List<Param> cp = Params.of(copy), rp = Params.of(reference);
                for (int i = 0; i < cp.size(); i++) {
                    cp.get(i).set(rp.get(i).data());
                    Map<String, Tensor> st = refOpt.state(rp.get(i));
                    if (!st.isEmpty()) o.restore(cp.get(i), st);
                }
                for (int t = first; t < first + n; t++) {
                    Batch b = shard.batch(seed, 0, t, globalBatch / workers);
                    Tape tape = AutoGrad.diff(() -> NNOps.crossEntropy(copy.apply(b.x()), b.labels()));
                    o.step(tape);
                }
                copies.add(copy);
                opts.add(o);
            }
            average(reference, refOpt, copies, opts);
        }
        double rel = SyncEquivalenceTest.relativeDistance(Params.of(spark), Params.of(reference));
        double moments = stateDistance(sparkOpt, Params.of(spark), refOpt, Params.of(reference));
        System.out.printf("local SGD K=4, Adam: parameters %.3e, Adam moments %.3e relative to one process%n", rel, moments);
        assertTrue(rel < 1e-12, "parameters differ by " + rel);
        assertTrue(moments < 1e-12, "optimizer state differs by " + moments);
        assertEquals(steps, sparkOpt.steps());
        Init.seed(2);
        assertTrue(SyncEquivalenceTest.relativeDistance(Params.of(spark), Params.of(factory.get())) > 1e-3, "training moved the parameters");
    }

    /** The reference's parameters and Adam state become the means of the copies'. */
    private static void average(Layer into, Optimizer intoOpt, List<Layer> copies, List<Optimizer> opts) {
        List<Param> target = Params.of(into);
        for (int i = 0; i < target.size(); i++) {
            Param p = target.get(i);
            double[] mean = new double[(int) p.shape().size()];
            Map<String, double[]> state = new LinkedHashMap<>();
            double step = 0;
            for (int c = 0; c < copies.size(); c++) {
                Param q = Params.of(copies.get(c)).get(i);
                add(mean, q.data(), 1.0 / copies.size());
                for (var e : opts.get(c).state(q).entrySet()) {
                    if (e.getKey().equals("step")) { step = e.getValue().item(); continue; }
                    add(state.computeIfAbsent(e.getKey(), key -> new double[mean.length]), e.getValue(), 1.0 / copies.size());
                }
            }
            p.set(p.data().backend().memory().fromArray(mean, p.shape(), p.dtype()));
            Map<String, Tensor> st = new LinkedHashMap<>();
            state.forEach((name, v) -> st.put(name, p.data().backend().memory().fromArray(v, p.shape(), p.dtype())));
            st.put("step", p.data().backend().memory().scalar(step, DType.FLOAT64));
            intoOpt.restore(p, st);
        }
    }

    private static void add(double[] into, Tensor t, double w) {
        double[] x = t.backend().memory().toDoubleArray(t);
        for (int j = 0; j < into.length; j++) into[j] += w * x[j];
    }

    private static double stateDistance(Optimizer a, List<Param> pa, Optimizer b, List<Param> pb) {
        double diff = 0, norm = 0;
        for (int i = 0; i < pa.size(); i++)
            for (String name : a.stateNames()) {
                Tensor ta = a.state(pa.get(i)).get(name), tb = b.state(pb.get(i)).get(name);
                double[] x = ta.backend().memory().toDoubleArray(ta), y = tb.backend().memory().toDoubleArray(tb);
                for (int j = 0; j < x.length; j++) { diff += (x[j] - y[j]) * (x[j] - y[j]); norm += y[j] * y[j]; }
            }
        return Math.sqrt(diff / norm);
    }
}
