package io.github.knetj.train;

/**
 * The measurements of one training step, which the per-step callbacks of {@link Trainer} receive.
 *
 * @param epoch      1-based epoch
 * @param batch      1-based batch within the epoch
 * @param batches    batches per epoch, or -1 when the data does not say
 * @param step       1-based count of steps since fit began
 * @param loss       this batch's loss
 * @param accuracy   this batch's accuracy
 * @param batchSize  examples in this batch
 * @param lr         the learning rate this step used
 */
public record StepInfo(int epoch, int batch, int batches, long step, double loss, double accuracy, int batchSize, double lr) {}
