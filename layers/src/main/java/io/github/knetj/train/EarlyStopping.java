package io.github.knetj.train;

import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A rule that stops training when a measure has not improved for {@code patience} epochs in a row (Keras's EarlyStopping): an
 * epoch counts as an improvement when it beats the best so far by more than {@code minDelta}.
 */
public final class EarlyStopping {
    private final String what;
    private final ToDoubleFunction<EpochStats> measure;
    private final boolean higherIsBetter;
    private final int patience;
    private final double minDelta;
    private double best;
    private int bestEpoch;
    private int waited;

    private EarlyStopping(String what, ToDoubleFunction<EpochStats> measure, boolean higherIsBetter, int patience, double minDelta) {
        if (patience < 1) throw new IllegalArgumentException("EarlyStopping: patience must be at least 1 epoch, got " + patience);
        if (!(minDelta >= 0)) throw new IllegalArgumentException("EarlyStopping: minDelta must be ≥ 0, got " + minDelta);
        this.what = what;
        this.measure = measure;
        this.higherIsBetter = higherIsBetter;
        this.patience = patience;
        this.minDelta = minDelta;
        reset();
    }

    /** Watches the test loss (a test set is required). */
    public static EarlyStopping onTestLoss(int patience) { return new EarlyStopping("test loss", EpochStats::testLoss, false, patience, 0); }

    /** Watches the test accuracy (a test set is required). */
    public static EarlyStopping onTestAccuracy(int patience) { return new EarlyStopping("test accuracy", EpochStats::testAccuracy, true, patience, 0); }

    /** Watches the training loss. */
    public static EarlyStopping onTrainLoss(int patience) { return new EarlyStopping("train loss", EpochStats::trainLoss, false, patience, 0); }

    /** The same rule, requiring improvements larger than {@code delta}. */
    public EarlyStopping minDelta(double delta) { return new EarlyStopping(what, measure, higherIsBetter, patience, delta); }

    /** Whether this rule watches a test-set measure. */
    boolean needsTestSet() { return what.startsWith("test"); }

    void reset() {
        best = higherIsBetter ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        bestEpoch = 0;
        waited = 0;
    }

    /** Takes an epoch's stats; returns the reason to stop, or null to go on. */
    String observe(EpochStats e) {
        double v = measure.applyAsDouble(e);
        boolean better = higherIsBetter ? v > best + minDelta : v < best - minDelta;
        if (better) {
            best = v;
            bestEpoch = e.epoch();
            waited = 0;
            return null;
        }
        if (++waited >= patience)
            return String.format(Locale.ROOT, "early stopping: %s has not improved for %d epoch%s (best %.6g at epoch %d)",
                    what, waited, waited == 1 ? "" : "s", best, bestEpoch);
        return null;
    }
}
