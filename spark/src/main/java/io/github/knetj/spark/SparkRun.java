package io.github.knetj.spark;

import io.github.knetj.train.EpochStats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a {@link SparkTrainer#fit} measured: each epoch as the single-process Trainer reports it, plus where a step's
 * time went. A step's wall time splits into the workers' computing (the slowest of them bounds it; their mean is
 * reported) and the rest: Spark scheduling a job, the broadcast of the weights, serialising and moving the
 * workers' results, and the driver's update.
 */
public final class SparkRun {
    private final List<EpochStats> epochs = new ArrayList<>();
    private int firstEpoch = 1;
    private long exchanges;
    private double exchangeSeconds;
    private double workerComputeSeconds;
    private long bytesPerExchange;

    void add(EpochStats e) { epochs.add(e); }

    void firstEpoch(int e) { firstEpoch = e; }

    void exchange(double wallSeconds, double meanComputeSeconds, long bytes) {
        exchanges++;
        exchangeSeconds += wallSeconds;
        workerComputeSeconds += meanComputeSeconds;
        bytesPerExchange = bytes;
    }

    /** The epochs trained by this fit (after a resume, only the new ones). */
    public List<EpochStats> epochs() { return Collections.unmodifiableList(epochs); }

    /** The 1-based number of the first epoch this fit trained (above 1 after a resume). */
    public int firstEpoch() { return firstEpoch; }

    /** Spark jobs run for training: one per step (synchronous) or per round (local SGD). */
    public long exchanges() { return exchanges; }

    /** Mean wall seconds of one job, from the broadcast to the driver's update. */
    public double secondsPerExchange() { return exchanges == 0 ? 0 : exchangeSeconds / exchanges; }

    /** Mean seconds a worker spent computing within one job. */
    public double computeSecondsPerExchange() { return exchanges == 0 ? 0 : workerComputeSeconds / exchanges; }

    /** Mean seconds of one job not spent computing: Spark's scheduling, moving the bytes, the driver's update. */
    public double overheadSecondsPerExchange() { return secondsPerExchange() - computeSecondsPerExchange(); }

    /** Bytes of arrays moved by one job: the broadcast weights (and state) and every worker's result. */
    public long bytesPerExchange() { return bytesPerExchange; }

    /** The last epoch's measurements. */
    public EpochStats last() {
        if (epochs.isEmpty()) throw new IllegalStateException("SparkRun: no epoch was trained");
        return epochs.get(epochs.size() - 1);
    }
}
