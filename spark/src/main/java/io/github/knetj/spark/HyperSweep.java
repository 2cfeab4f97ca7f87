package io.github.knetj.spark;

import io.github.knetj.data.Minibatch;
import io.github.knetj.layers.Init;
import io.github.knetj.layers.Layer;
import io.github.knetj.optim.Optimizers;
import io.github.knetj.train.History;
import io.github.knetj.train.Trainer;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A hyper-parameter grid run as Spark tasks: every (learning rate, batch size) pair is one ordinary single-process
 * training ({@link Trainer#fit}) on whichever executor takes the task, from the same seed, and the driver gathers
 * one row per pair. Nothing is exchanged during training, so this scales with the executors as far as the grid goes.
 */
public final class HyperSweep {
    private HyperSweep() {}

    /** One point of the grid. */
    public record Trial(double lr, int batch) implements Serializable {}

    /** What one trial measured, and where it ran. */
    public record Outcome(double lr, int batch, double testAccuracy, double testLoss, double trainLoss, double seconds, String executor)
            implements Serializable {}

    /** Everything a trial needs besides its point: small, it rides in the task's closure. */
    public record Plan(ModelFactory model, String optimizer, int epochs, long seed, ShardSource train, ShardSource test,
                       String backend, String dtype) implements Serializable {}

    /** Every lr with every batch size, lr varying slowest. */
    public static List<Trial> grid(List<Double> lrs, List<Integer> batches) {
        List<Trial> out = new ArrayList<>();
        for (double lr : lrs) {
            if (!(lr > 0)) throw new IllegalArgumentException("sweep: learning rates must be positive, got " + lr);
            for (int b : batches) {
                if (b <= 0) throw new IllegalArgumentException("sweep: batch sizes must be positive, got " + b);
                out.add(new Trial(lr, b));
            }
        }
        if (out.isEmpty()) throw new IllegalArgumentException("sweep: the grid is empty");
        return out;
    }

    /** Runs the trials, one Spark task each, and returns their outcomes in grid order. */
    public static List<Outcome> run(JavaSparkContext sc, Plan plan, List<Trial> grid) {
        return sc.parallelize(grid, grid.size()).map(t -> trial(plan, t)).collect();
    }

    /** One trial in this process: what a task runs, and what a test compares it with. */
    public static Outcome trial(Plan plan, Trial t) throws java.io.IOException {
        ModelPool.useBackend(plan.backend(), plan.dtype());
        Shard train = plan.train().load(0, 1), test = plan.test().load(0, 1);
        Layer model;
        // Init's stream is global to the JVM: two tasks of local mode building models at once would interleave their
        // draws. Holding Init's own lock keeps every model's initial values a function of the seed alone.
        synchronized (Init.class) {
            Init.seed(plan.seed());
            model = plan.model().get();
        }
        Minibatch dtrn = Minibatch.of(train.x(), train.labels(), train.xsize(), t.batch()).shuffle(plan.seed());
        Minibatch dtst = Minibatch.of(test.x(), test.labels(), test.xsize(), 1000).partial(true);
        long start = System.nanoTime();
        History h = new Trainer().progress(Trainer.Progress.OFF).fit(model, dtrn, Optimizers.byName(plan.optimizer(), t.lr()), plan.epochs());
        double seconds = (System.nanoTime() - start) / 1e9;
        Trainer.Evaluation ev = Trainer.evaluate(model, dtst);
        org.apache.spark.TaskContext tc = org.apache.spark.TaskContext.get();
        String where = tc == null ? "driver" : org.apache.spark.SparkEnv.get().executorId();
        return new Outcome(t.lr(), t.batch(), ev.accuracy(), ev.loss(), h.last().trainLoss(), seconds, where);
    }

    /** The outcomes as a table, best test accuracy marked. */
    public static String table(List<Outcome> rows) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-10s %6s %10s %10s %10s %9s  %s%n", "lr", "batch", "test acc", "test loss", "train loss", "seconds", "executor"));
        Outcome best = rows.stream().max(java.util.Comparator.comparingDouble(Outcome::testAccuracy)).orElse(null);
        for (Outcome r : rows)
            sb.append(String.format(Locale.ROOT, "%-10.3g %6d %10.4f %10.4f %10.4f %9.1f  %s%s%n", r.lr(), r.batch(), r.testAccuracy(), r.testLoss(),
                    r.trainLoss(), r.seconds(), r.executor(), r == best ? "  <- best" : ""));
        return sb.toString();
    }
}
