package io.github.knetj.spark;

import io.github.knetj.autograd.NNOps;
import io.github.knetj.train.Loss;

import java.io.Serializable;

/**
 * A {@link Loss} that Spark can ship to executors: {@code SerializableLoss l = NNOps::crossEntropy;}. The loss must
 * be a mean over the batch's examples (as every loss of the general Trainer is), because the driver turns the
 * workers' mean gradients back into the gradient of the mean over the global batch by weighting each by its share.
 */
@FunctionalInterface
public interface SerializableLoss extends Loss, Serializable {
    /** Cross-entropy of the scores, the Trainer's default. */
    static SerializableLoss crossEntropy() { return NNOps::crossEntropy; }
}
