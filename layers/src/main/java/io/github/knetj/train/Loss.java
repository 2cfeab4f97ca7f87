package io.github.knetj.train;

import io.github.knetj.autograd.AutoGrad.Value;

/**
 * A training objective: a scalar value from a model's scores for a batch and the batch's integer labels, the mean over
 * the batch's examples (as {@code NNOps.crossEntropy} and {@code nll} are): {@link Trainer#evaluate} weights batches by
 * their size, and a step cut into shards weights each shard's loss by its share of the examples.
 */
@FunctionalInterface
public interface Loss {
    Value apply(Value scores, int[] labels);
}
