package io.github.knetj.spark;

import io.github.knetj.api.Tensor;
import io.github.knetj.api.TensorScope;
import io.github.knetj.autograd.AutoGrad;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.NNOps;
import io.github.knetj.data.Batch;
import io.github.knetj.layers.Layer;
import io.github.knetj.layers.Params;
import io.github.knetj.optim.Optimizer;

import java.util.List;

/**
 * What runs inside a Spark task, on an executor: one worker's share of a synchronous step ({@link #gradient}) or of
 * a local-SGD round ({@link #localRound}). Both start by overwriting the executor's model copy with the weights the
 * driver broadcast, so no state carries over from one step to the next except the cached shard.
 */
final class Workers {
    private Workers() {}

    /**
     * The gradient of the local mean loss on this shard's batch {@code step} of {@code epoch}, times the local batch
     * size, as float64 arrays (null for a parameter the loss does not depend on).
     */
    static GradientSum gradient(Shard shard, StepJob job, Weights weights, long epoch, int step) {
        long start = System.nanoTime();
        Layer model = ModelPool.borrow(job);
        try {
            List<Param> params = Params.of(model);
            weights.applyTo(params);
            GradientSum out = new GradientSum();
            try (TensorScope scope = TensorScope.open()) {
                Batch b = shard.batch(job.seed(), epoch, step, job.localBatch());
                Value[] scores = new Value[1];
                Tape tape = AutoGrad.diff(() -> job.loss().apply(scores[0] = model.apply(b.x()), b.labels()));
                int n = b.size();
                out.sums = new double[params.size()][];
                for (int i = 0; i < params.size(); i++) {
                    Value g = tape.grad(params.get(i));
                    if (g == null) continue;
                    Tensor t = g.data();
                    double[] a = t.backend().memory().toDoubleArray(t);
                    for (int j = 0; j < a.length; j++) a[j] *= n;
                    out.sums[i] = a;
                }
                out.lossSum = tape.value() * n;
                out.correct = NNOps.accuracy(scores[0], b.labels()) * n;
                out.examples = n;
            }
            out.parts = 1;
            out.computeSeconds = (System.nanoTime() - start) / 1e9;
            return out;
        } finally {
            ModelPool.release(job, model);
        }
    }

    /**
     * {@code steps} local optimizer steps on this shard's batches {@code firstStep, firstStep + 1, ...} of epoch, from
     * the broadcast weights and optimizer state; the optimizer's schedule stands at {@code globalStep} at the start.
     */
    static ModelSum localRound(Shard shard, StepJob job, Weights weights, OptimizerState state, long globalStep,
                               long epoch, int firstStep, int steps) {
        long start = System.nanoTime();
        Layer model = ModelPool.borrow(job);
        try {
            List<Param> params = Params.of(model);
            weights.applyTo(params);
            Optimizer opt = job.optimizer().get();
            state.restoreInto(opt, params);
            opt.steps(globalStep);
            double lossSum = 0, correct = 0;
            long examples = 0;
            for (int t = firstStep; t < firstStep + steps; t++) {
                try (TensorScope scope = TensorScope.open()) {
                    Batch b = shard.batch(job.seed(), epoch, t, job.localBatch());
                    Value[] scores = new Value[1];
                    Tape tape = AutoGrad.diff(() -> job.loss().apply(scores[0] = model.apply(b.x()), b.labels()));
                    lossSum += tape.value() * b.size();
                    correct += NNOps.accuracy(scores[0], b.labels()) * b.size();
                    examples += b.size();
                    opt.step(tape);
                    for (Param p : params) {
                        scope.keep(p.data());
                        for (Tensor s : opt.slots(p)) scope.keep(s);
                    }
                }
            }
            return ModelSum.of(Weights.of(params), OptimizerState.of(opt, params), lossSum, correct, examples, (System.nanoTime() - start) / 1e9);
        } finally {
            ModelPool.release(job, model);
        }
    }
}
