package io.github.knetj.train;

import java.util.Locale;

/**
 * The measurements of one epoch of {@link Trainer#fit}.
 *
 * @param epoch             1-based
 * @param trainLoss         mean loss over the epoch's batches
 * @param trainAccuracy     fraction of training examples classified right while training (running accuracy)
 * @param testLoss          mean loss on the test set after the epoch, NaN without a test set
 * @param testAccuracy      accuracy on the test set after the epoch, NaN without a test set
 * @param seconds           wall time of the training loop only (batches, forward, backward, update), not evaluation
 * @param examplesPerSecond training examples per second of that time
 * @param examples          training examples seen
 */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                         double seconds, double examplesPerSecond, long examples) {
    /** One JSON object on one line, for logs and scripts (NaN written as null). */
    public String toJson() {
        return String.format(Locale.ROOT, "{\"epoch\": %d, \"train_loss\": %s, \"train_accuracy\": %s, \"test_loss\": %s, \"test_accuracy\": %s, "
                        + "\"train_seconds\": %.3f, \"examples_per_second\": %.1f, \"examples\": %d}",
                epoch, num(trainLoss), num(trainAccuracy), num(testLoss), num(testAccuracy), seconds, examplesPerSecond, examples);
    }

    /** "epoch 2/3: train loss 0.1234 acc 0.9612 | test loss 0.1100 acc 0.9650 | 12.3 s, 4,876 examples/s". */
    public String summary(int epochs) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d: train loss %.4f", epoch, epochs, trainLoss));
        if (!Double.isNaN(trainAccuracy)) sb.append(String.format(Locale.ROOT, " acc %.4f", trainAccuracy));
        if (!Double.isNaN(testLoss)) sb.append(String.format(Locale.ROOT, " | test loss %.4f", testLoss));
        if (!Double.isNaN(testAccuracy)) sb.append(String.format(Locale.ROOT, " acc %.4f", testAccuracy));
        return sb.append(String.format(Locale.ROOT, " | %.1f s, %,.0f examples/s", seconds, examplesPerSecond)).toString();
    }

    private static String num(double v) { return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null"; }
}
