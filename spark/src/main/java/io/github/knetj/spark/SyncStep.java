package io.github.knetj.spark;

import io.github.knetj.api.Tensor;
import io.github.knetj.api.TensorScope;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.optim.Optimizer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.ArrayList;
import java.util.List;

/**
 * One synchronous data-parallel step, as MLlib's mini-batch gradient descent runs it: broadcast the parameters,
 * let every cached shard compute the gradient of its share of the global batch in one Spark job, sum them with
 * {@code treeAggregate}, and apply the optimizer on the driver. The driver's update is the same call sequence as
 * {@link Optimizer#step} (clip, update each parameter, advance the schedule), fed the global batch's mean gradient,
 * so the parameters follow single-process training on the same global batch.
 * <p>
 * Summation order: the workers' sums are added in whatever order their tasks finish. With two workers that cannot
 * change a bit (a + b = b + a in IEEE arithmetic); with more, results may differ from run to run in the last ulp.
 */
final class SyncStep {
    private SyncStep() {}

    /** The measurements of one step. */
    record Outcome(double lossSum, double correct, long examples, double computeSeconds, int parts) {}

    static Outcome run(JavaSparkContext sc, ShardedData data, StepJob job, List<Param> params, Optimizer opt,
                       long epoch, int step, int treeDepth) {
        Broadcast<Weights> bw = sc.broadcast(Weights.of(params));
        GradientSum sum;
        try {
            sum = data.rdd().treeAggregate(GradientSum.empty(),
                    (acc, shard) -> acc.merge(Workers.gradient(shard, job, bw.value(), epoch, step)),
                    GradientSum::merge, treeDepth);
        } finally {
            bw.destroy(false);   // each step's weights are needed by that step only
        }
        if (sum.parts() != data.workers())
            throw new IllegalStateException("SyncStep: " + sum.parts() + " of " + data.workers() + " workers answered step " + step);
        long n = sum.examples();
        try (TensorScope scope = TensorScope.open()) {
            List<Param> used = new ArrayList<>();
            List<Tensor> grads = new ArrayList<>();
            for (int i = 0; i < params.size(); i++) {
                double[] s = sum.sum(i);
                if (s == null) continue;   // as Optimizer.step, which updates only the parameters on the tape
                double[] mean = new double[s.length];
                for (int j = 0; j < s.length; j++) mean[j] = s[j] / n;
                Param p = params.get(i);
                used.add(p);
                grads.add(Weights.tensor(p, mean, p.dtype()));
            }
            grads = opt.clip(grads);
            for (int i = 0; i < used.size(); i++) {
                Param p = used.get(i);
                opt.update(p, grads.get(i));
                scope.keep(p.data());
                for (Tensor t : opt.slots(p)) scope.keep(t);
            }
        }
        opt.advance();
        return new Outcome(sum.lossSum(), sum.correct(), n, sum.computeSeconds(), sum.parts());
    }
}
