package io.github.knetj.spark;

import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.data.Batch;
import io.github.knetj.layers.Layer;
import io.github.knetj.layers.Params;
import io.github.knetj.optim.Optimizer;
import io.github.knetj.train.EpochStats;
import io.github.knetj.train.Trainer;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * Data-parallel training on Spark, for any model and loss the single-process {@link Trainer} takes:
 * <pre>{@code
 * ShardedData data = ShardedData.of(sc, ShardSource.fromArrays(sc, x, y, new int[]{784}), 2);
 * Init.seed(1);
 * Layer model = factory.get();
 * SparkRun run = new SparkTrainer(sc, factory).globalBatch(100).fit(model, Optimizers.adam(1e-3), data, 3);
 * }</pre>
 * By default each step is synchronous ({@link SyncStep}): the parameters after every step equal those of one process
 * training on the same global batch (the t-th local batch of every shard, see {@link Shard#globalBatch}). With
 * {@link #localSgd} workers take K steps alone between averagings ({@link LocalSgdRound}).
 * <p>
 * The driver keeps the one true model and optimizer: it evaluates the test set after each epoch and writes the
 * checkpoint there. Batch statistics (batch norm) and dropout masks are each worker's own, as in PyTorch's
 * DistributedDataParallel without SyncBatchNorm; the equivalence holds for models without them.
 */
public final class SparkTrainer {
    private final JavaSparkContext sc;
    private final ModelFactory factory;
    private int globalBatch = 100;
    private long seed = 1;
    private SerializableLoss loss = SerializableLoss.crossEntropy();
    private int localSteps = 1;
    private OptimizerFactory optimizerFactory;
    private Path checkpoints;
    private boolean resume;
    private Iterable<Batch> test;
    private PrintStream log;
    private int treeDepth = 2;
    private java.util.function.LongConsumer onExchange = step -> {};

    public SparkTrainer(JavaSparkContext sc, ModelFactory factory) {
        this.sc = Objects.requireNonNull(sc, "sc");
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /** Examples per step over all workers together; it must divide evenly among them. 100 unless set. */
    public SparkTrainer globalBatch(int b) {
        if (b <= 0) throw new IllegalArgumentException("SparkTrainer: global batch must be positive, got " + b);
        globalBatch = b;
        return this;
    }

    /** The seed of every shard's batch order (epoch by epoch). 1 unless set. */
    public SparkTrainer seed(long s) { seed = s; return this; }

    /** The objective; cross-entropy unless set. */
    public SparkTrainer loss(SerializableLoss l) { loss = Objects.requireNonNull(l, "loss"); return this; }

    /**
     * Local SGD: every worker takes {@code k} optimizer steps of its own (built by {@code optimizer}, which must make
     * the same optimizer as the one passed to fit) between averagings of parameters and optimizer state. k = 1 with
     * plain SGD is the synchronous step again, at more bytes.
     */
    public SparkTrainer localSgd(int k, OptimizerFactory optimizer) {
        if (k <= 0) throw new IllegalArgumentException("SparkTrainer: local steps must be positive, got " + k);
        localSteps = k;
        optimizerFactory = Objects.requireNonNull(optimizer, "optimizer");
        return this;
    }

    /** Writes a checkpoint into dir after every epoch; with resume, first continues from the one found there. */
    public SparkTrainer checkpoints(Path dir, boolean resume) {
        this.checkpoints = Objects.requireNonNull(dir, "dir");
        this.resume = resume;
        return this;
    }

    /** A test set, evaluated on the driver after every epoch. */
    public SparkTrainer test(Iterable<Batch> data) { test = data; return this; }

    /** Where a line per epoch (and a few per epoch while training) goes; nowhere unless set. */
    public SparkTrainer log(PrintStream out) { log = out; return this; }

    /** Runs on the driver after every exchange (step or round) with the number of steps taken so far in this fit. */
    public SparkTrainer onExchange(java.util.function.LongConsumer callback) { onExchange = Objects.requireNonNull(callback); return this; }

    /** The depth of treeAggregate's reduction tree (2 unless set): more levels take load off the driver at 100s of workers. */
    public SparkTrainer treeDepth(int d) {
        if (d < 1) throw new IllegalArgumentException("SparkTrainer: tree depth must be at least 1, got " + d);
        treeDepth = d;
        return this;
    }

    /** What a checkpoint must agree on with the run resuming it. */
    String settings(ShardedData data, Optimizer opt) {
        return String.format(Locale.ROOT, "workers=%d global_batch=%d seed=%d local_steps=%d optimizer=%s dtype=%s",
                data.workers(), globalBatch, seed, localSteps, opt.name(), Defaults.dtype().label());
    }

    /** Trains model (built by this trainer's factory) with opt for {@code epochs} epochs in all, resumed ones included. */
    public SparkRun fit(Layer model, Optimizer opt, ShardedData data, int epochs) {
        if (epochs < 0) throw new IllegalArgumentException("SparkTrainer: epochs must not be negative, got " + epochs);
        if (globalBatch % data.workers() != 0)
            throw new IllegalArgumentException("SparkTrainer: global batch " + globalBatch + " does not split evenly over " + data.workers() + " workers");
        int localBatch = globalBatch / data.workers();
        int steps = data.stepsPerEpoch(localBatch);
        if (steps == 0)
            throw new IllegalArgumentException("SparkTrainer: the smallest shard (" + java.util.Arrays.stream(data.sizes()).min().orElse(0)
                    + " examples) holds no whole local batch of " + localBatch);
        if (optimizerFactory != null && !optimizerFactory.get().name().equals(opt.name()))
            throw new IllegalArgumentException("SparkTrainer: local SGD's optimizer factory makes '" + optimizerFactory.get().name()
                    + "' but fit was given '" + opt.name() + "'");
        List<Param> params = Params.of(model);
        if (params.isEmpty()) throw new IllegalArgumentException("SparkTrainer: " + model.getClass().getName() + " has no parameters to train");
        Weights.of(params).check(Params.of(factory.get()));   // the factory must build this architecture

        String settings = settings(data, opt);
        int done = 0;
        if (checkpoints != null && resume && Checkpoint.exists(checkpoints)) {
            try { done = Checkpoint.resume(checkpoints, model, opt, settings); }
            catch (IOException e) { throw new UncheckedIOException("SparkTrainer: cannot read the checkpoint in " + checkpoints, e); }
            say("resumed from " + checkpoints.resolve(Checkpoint.FILE) + " after epoch " + done);
        }
        StepJob job = new StepJob(UUID.randomUUID().toString(), factory, loss, optimizerFactory, Defaults.backend().name(),
                Defaults.dtype().label(), seed, localBatch);
        long scalars = Weights.of(params).scalars();
        long bytes = localSteps == 1 ? 2L * 8 * scalars * data.workers()
                : 2L * 8 * scalars * (1 + opt.stateNames().size()) * data.workers();
        SparkRun run = new SparkRun();
        run.firstEpoch(done + 1);
        long taken = 0;
        for (int epoch = done + 1; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            double lossSum = 0, correct = 0;
            long examples = 0;
            int every = Math.max(1, steps / 5);
            for (int t = 0; t < steps; ) {
                int k = Math.min(localSteps, steps - t);
                long s0 = System.nanoTime();
                SyncStep.Outcome o = localSteps == 1
                        ? SyncStep.run(sc, data, job, params, opt, epoch - 1, t, treeDepth)
                        : LocalSgdRound.run(sc, data, job, params, opt, epoch - 1, t, k, treeDepth);
                run.exchange((System.nanoTime() - s0) / 1e9, o.computeSeconds() / o.parts(), bytes);
                lossSum += o.lossSum();
                correct += o.correct();
                examples += o.examples();
                int before = t;
                t += k;
                onExchange.accept(taken += k);
                if (log != null && (t / every != before / every || t == steps))
                    say(String.format(Locale.ROOT, "epoch %d/%d step %d/%d: loss %.4f acc %.4f", epoch, epochs, t, steps, lossSum / examples, correct / examples));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Trainer.Evaluation ev = test == null ? new Trainer.Evaluation(Double.NaN, Double.NaN, 0) : Trainer.evaluate(model, test, loss);
            EpochStats es = new EpochStats(epoch, lossSum / examples, correct / examples, ev.loss(), ev.accuracy(), seconds, examples / seconds, examples);
            run.add(es);
            say(es.summary(epochs));
            if (checkpoints != null) {
                try { Checkpoint.save(checkpoints, model, opt, epoch, settings); }
                catch (IOException e) { throw new UncheckedIOException("SparkTrainer: cannot write the checkpoint in " + checkpoints, e); }
            }
        }
        return run;
    }

    private void say(String line) { if (log != null) log.println("[knetj-spark] " + line); }
}
