package io.github.knetj.spark;

import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.optim.Optimizer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.List;

/**
 * One round of local SGD (DL4J's parameter averaging): the driver broadcasts the parameters and the optimizer state,
 * every worker takes {@code steps} optimizer steps on its own shard's batches, and the driver sets the model and the
 * optimizer state to the averages of the workers'. One Spark job per round instead of one per step: the exchange
 * costs the same bytes as one synchronous step (plus the state), spread over K steps.
 */
final class LocalSgdRound {
    private LocalSgdRound() {}

    static SyncStep.Outcome run(JavaSparkContext sc, ShardedData data, StepJob job, List<Param> params, Optimizer opt,
                                long epoch, int firstStep, int steps, int treeDepth) {
        Weights w = Weights.of(params);
        Broadcast<Weights> bw = sc.broadcast(w);
        Broadcast<OptimizerState> bs = sc.broadcast(OptimizerState.of(opt, params));
        long globalStep = opt.steps();
        ModelSum sum;
        try {
            sum = data.rdd().treeAggregate(ModelSum.empty(),
                    (acc, shard) -> acc.merge(Workers.localRound(shard, job, bw.value(), bs.value(), globalStep, epoch, firstStep, steps)),
                    ModelSum::merge, treeDepth);
        } finally {
            bw.destroy(false);
            bs.destroy(false);
        }
        if (sum.parts != data.workers())
            throw new IllegalStateException("LocalSgdRound: " + sum.parts + " of " + data.workers() + " workers answered the round at step " + firstStep);
        sum.meanWeights(w.shapes()).applyTo(params);
        sum.meanState(opt.name()).restoreInto(opt, params);
        opt.steps(globalStep + steps);
        return new SyncStep.Outcome(sum.lossSum, sum.correct, sum.examples, sum.computeSeconds, sum.parts);
    }
}
