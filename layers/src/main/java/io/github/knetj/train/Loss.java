package io.github.knetj.train;

import io.github.knetj.autograd.AutoGrad.Value;

/** A training objective: a scalar value from a model's scores for a batch and the batch's integer labels. */
@FunctionalInterface
public interface Loss {
    Value apply(Value scores, int[] labels);
}
