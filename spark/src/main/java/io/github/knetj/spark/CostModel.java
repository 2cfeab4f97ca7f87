package io.github.knetj.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The cost of one data-parallel step on K workers, on paper (docs/scale-out.md): computing the local share of the
 * global batch, waiting for the slowest worker, and moving the parameters and gradients. Three exchanges are
 * compared: this module's (broadcast the weights, {@code treeAggregate} the gradients through the driver), a ring
 * all-reduce among the workers (what NCCL, Horovod and BigDL's block-manager all-reduce do), and local SGD, which
 * pays the driver's exchange (weights and optimizer state) once every H steps.
 *
 * @param parameters      scalars in the model (431,080 for LeNet)
 * @param bytesPerScalar  bytes each scalar travels as (8: float64 arrays)
 * @param computePerExample seconds one worker spends per example (forward, backward)
 * @param globalBatch     examples per step over all workers
 * @param jobOverhead     seconds Spark spends per job besides moving the bytes: scheduling, task launch, result handling
 * @param latency         seconds per message hop
 * @param bandwidth       bytes per second of one machine's network link (the driver's included)
 * @param straggle        the spread σ of each worker's compute time: it is multiplied by exp(σ·z − σ²/2), z normal
 */
public record CostModel(long parameters, int bytesPerScalar, double computePerExample, int globalBatch, double jobOverhead,
                        double latency, double bandwidth, double straggle) {

    /** The exchanges compared. */
    public enum Exchange { DRIVER_TREE, RING_ALLREDUCE, LOCAL_SGD }

    /** Bytes of one copy of the parameters. */
    public double modelBytes() { return (double) parameters * bytesPerScalar; }

    /** Seconds one process takes per step on the whole global batch: the baseline. */
    public double singleProcessStep() { return computePerExample * globalBatch; }

    /**
     * Seconds per exchange spent moving bytes on k workers. Driver tree: the driver sends one copy of the weights
     * (a torrent broadcast lets executors pass pieces on) and receives the partial sums of treeAggregate (k of them
     * up to 4 workers, where Spark skips the middle level; ⌈√k⌉ above), all through its one link, plus a latency per
     * level. Ring all-reduce: every worker sends and receives 2(k−1)/k model copies over its own link, in 2(k−1) hops.
     * Local SGD moves the driver tree's bytes times (1 + state slots), the optimizer state travelling with the weights.
     */
    public double communication(Exchange e, int k, int stateSlots) {
        if (k <= 1) return 0;
        double levels = latency * (k <= 4 ? 2 : 3);
        return switch (e) {
            case DRIVER_TREE -> treeBytes(k) / bandwidth + levels;
            case RING_ALLREDUCE -> 2.0 * (k - 1) / k * modelBytes() / bandwidth + 2.0 * (k - 1) * latency;
            case LOCAL_SGD -> treeBytes(k) * (1 + stateSlots) / bandwidth + levels;
        };
    }

    /** Bytes through the driver's link per exchange: one copy out, the partial sums in. */
    public double treeBytes(int k) {
        int parts = k <= 4 ? k : (int) Math.ceil(Math.sqrt(k));
        return modelBytes() * (1 + parts);
    }

    /**
     * Seconds of one step on k workers when every worker computes equally fast (σ = 0), the closed form: the local
     * share's compute, plus the exchange (a Spark job's overhead and the bytes) once per step, or once per h steps for
     * local SGD. A ring all-reduce runs inside long-lived workers (barrier mode plus a collective library), so it pays
     * no job per step. One worker means one process: no exchange at all.
     */
    public double stepSeconds(Exchange e, int k, int h, int stateSlots) {
        double compute = computePerExample * globalBatch / k;
        if (k <= 1) return compute;
        return compute + exchangeSeconds(e, k, h, stateSlots);
    }

    /** The exchange's seconds per step (amortised over h steps for local SGD). */
    double exchangeSeconds(Exchange e, int k, int h, int stateSlots) {
        if (k <= 1) return 0;
        return switch (e) {
            case DRIVER_TREE -> jobOverhead + communication(e, k, stateSlots);
            case RING_ALLREDUCE -> communication(e, k, stateSlots);
            case LOCAL_SGD -> (jobOverhead + communication(e, k, stateSlots)) / h;
        };
    }

    /**
     * The mean seconds per step over {@code steps} simulated steps, with stragglers: every worker's compute time per
     * step is drawn with spread σ from a seeded stream, and each exchange waits for the slowest worker since the last
     * one (every step synchronously; every h steps for local SGD, where a worker's h draws partly even out).
     */
    public double simulate(Exchange e, int k, int h, int stateSlots, int steps, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int period = e == Exchange.LOCAL_SGD ? h : 1;
        double compute = computePerExample * globalBatch / k;
        double total = 0;
        int done = 0;
        while (done < steps) {
            int n = Math.min(period, steps - done);
            double slowest = 0;
            for (int w = 0; w < k; w++) {
                double t = 0;
                for (int s = 0; s < n; s++) t += compute * Math.exp(straggle * r.nextGaussian() - straggle * straggle / 2);
                slowest = Math.max(slowest, t);
            }
            total += slowest + n * exchangeSeconds(e, k, h, stateSlots);
            done += n;
        }
        return total / steps;
    }

    /** Speed-up over one process (examples per second on k workers over those of one process), simulated. */
    public double speedup(Exchange e, int k, int h, int stateSlots, int steps, long seed) {
        return singleProcessStep() / simulate(e, k, h, stateSlots, steps, seed);
    }

    /** A table of simulated speed-ups for these worker counts, one column per exchange. */
    public String table(List<Integer> workers, int h, int stateSlots, int steps, long seed) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%d parameters (%.1f MB), global batch %d, %.0f ms per step on one process, job overhead %.0f ms, %.2f GB/s, σ %.2f%n",
                parameters, modelBytes() / 1e6, globalBatch, singleProcessStep() * 1e3, jobOverhead * 1e3, bandwidth / 1e9, straggle));
        sb.append(String.format(Locale.ROOT, "%8s %16s %16s %16s%n", "workers", "driver tree", "ring all-reduce", "local SGD h=" + h));
        for (int k : workers) {
            List<String> cells = new ArrayList<>();
            for (Exchange e : Exchange.values()) cells.add(String.format(Locale.ROOT, "%6.2fx", speedup(e, k, h, stateSlots, steps, seed)));
            sb.append(String.format(Locale.ROOT, "%8d %16s %16s %16s%n", k, cells.get(0), cells.get(1), cells.get(2)));
        }
        return sb.toString();
    }
}
