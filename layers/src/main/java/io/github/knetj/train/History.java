package io.github.knetj.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The record of a {@link Trainer#fit} run: one {@link EpochStats} per epoch, and whether and why it stopped early. */
public final class History {
    private final List<EpochStats> epochs = new ArrayList<>();
    private String stopReason;

    void add(EpochStats e) { epochs.add(e); }

    void stopped(String reason) { stopReason = reason; }

    /** The epochs run, in order. */
    public List<EpochStats> epochs() { return Collections.unmodifiableList(epochs); }

    /** The last epoch run; an error when none ran. */
    public EpochStats last() {
        if (epochs.isEmpty()) throw new IllegalStateException("History: no epoch was run");
        return epochs.get(epochs.size() - 1);
    }

    /** Whether training stopped before the requested number of epochs (early stopping or {@link Trainer#stop(String)}). */
    public boolean stoppedEarly() { return stopReason != null; }

    /** Why training stopped early, or null. */
    public String stopReason() { return stopReason; }

    @Override public String toString() { return "History" + epochs + (stopReason == null ? "" : " stopped: " + stopReason); }
}
