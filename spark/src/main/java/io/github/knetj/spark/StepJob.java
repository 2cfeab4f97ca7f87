package io.github.knetj.spark;

import java.io.Serializable;

/**
 * What every task of one run needs besides the weights: how to build the model and the loss, where and in which
 * dtype to compute, and how the data is cut into batches. Small, so it rides in each task's closure.
 *
 * @param runId      a name unique to this run, under which executors keep their model copies
 * @param model      builds the architecture
 * @param loss       the objective, a mean over the batch
 * @param optimizer  builds the workers' optimizer (local SGD only; null for synchronous steps)
 * @param backend    the backend's name ("cpu", "reference")
 * @param dtype      "float32" or "float64"
 * @param seed       the seed of the shards' batch orders
 * @param localBatch examples per worker per step: the global batch over the number of workers
 */
public record StepJob(String runId, ModelFactory model, SerializableLoss loss, OptimizerFactory optimizer, String backend,
                      String dtype, long seed, int localBatch) implements Serializable {}
