package io.github.knetj.train;

import io.github.knetj.api.Tensor;
import io.github.knetj.api.TensorScope;
import io.github.knetj.autograd.AutoGrad;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.BatchNormStats;
import io.github.knetj.autograd.NNOps;
import io.github.knetj.autograd.ShardedDiff;
import io.github.knetj.data.Batch;
import io.github.knetj.data.Minibatch;
import io.github.knetj.io.ModelWalk;
import io.github.knetj.layers.Layer;
import io.github.knetj.layers.Params;
import io.github.knetj.optim.Optimizer;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The training loop, as short as Knet's {@code progress!(adam(model, ncycle(dtrn, 3)))}:
 * <pre>{@code
 * History h = new Trainer().test(dtst).fit(model, dtrn, Optimizers.adam(1e-3), 3);
 * }</pre>
 * Each step computes the loss (cross-entropy of the model's scores by default, or any {@link Objective} of a model and
 * a batch of any type for {@link #fit(Object, Iterable, Objective, Optimizer, int)}) under {@link AutoGrad#diff},
 * updates the model's parameters (or those the optimizer is {@linkplain Optimizer#bind bound} to) with the optimizer, and runs inside a {@link TensorScope} so that the step's device memory is
 * released when it ends (the new parameters, optimizer state and batch-norm statistics are kept). After each epoch
 * the test set, if any, is evaluated in batches outside diff, callbacks run, and early stopping may end training.
 * Options are set fluently; a Trainer can run fit more than once.
 */
public final class Trainer {
    /** The ways progress is shown on stderr: AUTO is a bar on a terminal and plain periodic lines otherwise. */
    public enum Progress {
        AUTO, BAR, LINES, OFF;

        /** auto, bar, lines or off, any case; {@code what} names the setting in the error. */
        public static Progress parse(String what, String s) {
            for (Progress p : values()) if (p.name().equalsIgnoreCase(s.trim())) return p;
            throw new IllegalArgumentException(what + "='" + s + "': expected auto, bar, lines or off");
        }
    }

    /**
     * A model's loss and accuracy on a data set.
     *
     * @param loss     mean loss per example
     * @param accuracy fraction classified right
     * @param examples how many examples were seen
     */
    public record Evaluation(double loss, double accuracy, long examples) {}

    private Loss loss = NNOps::crossEntropy;
    private Iterable<Batch> test;
    private final List<Consumer<StepInfo>> stepCallbacks = new ArrayList<>();
    private final List<Consumer<Tape>> gradientCallbacks = new ArrayList<>();
    private final List<Consumer<EpochStats>> epochCallbacks = new ArrayList<>();
    private EarlyStopping earlyStopping;
    private Progress progress = Progress.AUTO;
    private PrintStream err = System.err;
    private volatile String stopRequest;
    private int shards = 1;

    /** The objective; cross-entropy of the scores ({@link NNOps#crossEntropy}) unless set. */
    public Trainer loss(Loss l) { loss = Objects.requireNonNull(l, "loss"); return this; }

    /** A test set evaluated after every epoch (loss and accuracy). */
    public Trainer test(Iterable<Batch> data) { test = data; return this; }

    /** Runs after every step. */
    public Trainer onStep(Consumer<StepInfo> callback) { stepCallbacks.add(Objects.requireNonNull(callback)); return this; }

    /**
     * Runs in every step after the backward pass and before the update, with the step's tape: its gradients can be
     * read there (a gradient norm, say), inside the step's scope, and die with it.
     */
    public Trainer onGradients(Consumer<Tape> callback) { gradientCallbacks.add(Objects.requireNonNull(callback)); return this; }

    /** Runs after every epoch, evaluation included. */
    public Trainer onEpoch(Consumer<EpochStats> callback) { epochCallbacks.add(Objects.requireNonNull(callback)); return this; }

    /** Stops when the rule says so (the rule's state starts afresh with each fit). */
    public Trainer earlyStopping(EarlyStopping rule) { earlyStopping = rule; return this; }

    /** How progress is shown; AUTO unless set. */
    public Trainer progress(Progress mode) { progress = Objects.requireNonNull(mode); return this; }

    /** Where progress goes; System.err unless set. */
    public Trainer progressTo(PrintStream out) { err = Objects.requireNonNull(out); return this; }

    /**
     * Into how many shards a classifier's step cuts its batch, each differentiated on its own thread
     * ({@link ShardedDiff}): the same loss and gradients as the whole batch, as {@link Loss} is a mean over examples,
     * up to the order of float additions; 1 (the default) does not cut. It pays for large batches, whose activations
     * outgrow the caches when one step's every op is split over the threads: on 2 cores a LeNet epoch at batch 4000
     * took 4.5 s with 2 shards against 7.3 s without, the same at batch 2000, and nothing at 100 or 1000 (the MLP at
     * 100 ran slower). A model that keeps batch-norm statistics is refused (each shard would update them on its own).
     * Dropout masks differ from an unsharded step's, but are still replayed by {@code Init.seed}.
     */
    public Trainer shards(int n) {
        if (n < 1) throw new IllegalArgumentException("Trainer.shards: expected a count >= 1, got " + n);
        shards = n;
        return this;
    }

    /** Asks a running fit to stop after the current step (from a callback, say); fit records the reason. */
    public void stop(String reason) { stopRequest = reason == null ? "stopped" : reason; }

    /** Trains model on {@code train} for up to {@code epochs} epochs with {@code opt}; returns what each epoch measured. */
    public History fit(Layer model, Iterable<Batch> train, Optimizer opt, int epochs) {
        Loss l = loss;
        Iterable<Batch> t = test;
        boolean keepsStatistics = !ModelWalk.batchNormStats(model).isEmpty();
        if (keepsStatistics && shards > 1)
            throw new IllegalArgumentException("fit: shards(" + shards + ") with a model that keeps batch-norm statistics; each shard would update them on its own (use shards(1))");
        return run(model, train, opt, epochs, t == null ? null : () -> evaluate(model, t, l), b -> {
            int n = Math.min(shards, b.size());
            if (n > 1) return shardedStep(model, l, b, n);
            Value[] scores = new Value[1];
            Tape tape = AutoGrad.diff(() -> l.apply(scores[0] = model.apply(b.x()), b.labels()));
            return new Measured(tape, NNOps.accuracy(scores[0], b.labels()), b.size());
        });
    }

    /**
     * Trains any model on batches of any type with any loss (Knet's {@code train!(model, data)} with a loss
     * {@code (model, batch) -> scalar}): regression on float targets, x-only data, pairs of sequences. Progress,
     * plots, early stopping on the loss and callbacks work as in the classifier's {@link #fit(Layer, Iterable, Optimizer, int)};
     * accuracies are NaN. A {@link Batch} counts its examples, any other batch counts as one. {@code test}, if not
     * null, is evaluated after every epoch with the same loss ({@link #evaluate(Object, Iterable, Objective)}).
     */
    public <M, B> History fit(M model, Iterable<B> train, Iterable<B> test, Objective<M, B> objective, Optimizer opt, int epochs) {
        Objects.requireNonNull(objective, "fit: objective");
        return run(model, train, opt, epochs, test == null ? null : () -> evaluate(model, test, objective),
                b -> new Measured(AutoGrad.diff(() -> objective.apply(model, b)), Double.NaN, sizeOf(b)));
    }

    /** {@link #fit(Object, Iterable, Iterable, Objective, Optimizer, int)} without a test set. */
    public <M, B> History fit(M model, Iterable<B> train, Objective<M, B> objective, Optimizer opt, int epochs) {
        return fit(model, train, null, objective, opt, epochs);
    }

    /** A classifier's step on n shards of the batch. */
    private static Measured shardedStep(Layer model, Loss l, Batch b, int n) {
        int[] sizes = ShardedDiff.split(b.size(), n);
        Batch[] parts = new Batch[n];
        for (int k = 0, from = 0; k < n; from += sizes[k++]) parts[k] = b.slice(from, from + sizes[k]);
        double[] correct = new double[n];
        Tape tape = Shards.diff(b.x().backend(), sizes, k -> {
            Value scores = model.apply(parts[k].x());
            correct[k] = NNOps.accuracy(scores, parts[k].labels()) * sizes[k];
            return l.apply(scores, parts[k].labels());
        });
        double sum = 0;
        for (double c : correct) sum += c;
        return new Measured(tape, sum / b.size(), b.size());
    }

    /** What one step measured: the tape, the batch's accuracy (NaN when not a classifier) and its examples. */
    private record Measured(Tape tape, double accuracy, int size) {}

    /** The loop both fits share: a step is {@code step.apply(batch)} followed by the optimizer's update. */
    private <B> History run(Object model, Iterable<B> train, Optimizer opt, int epochs, java.util.function.Supplier<Evaluation> evaluation,
                            java.util.function.Function<B, Measured> step) {
        if (epochs < 0) throw new IllegalArgumentException("fit: epochs must not be negative, got " + epochs);
        if (earlyStopping != null && earlyStopping.needsTestSet() && evaluation == null)
            throw new IllegalArgumentException("fit: early stopping on a test measure needs a test set (Trainer.test(data))");
        List<Param> params = opt.bound() != null ? opt.bound() : Params.of(model);
        if (params.isEmpty()) throw new IllegalArgumentException("fit: " + model.getClass().getName() + " has no parameters to train");
        Collection<BatchNormStats> stats = ModelWalk.batchNormStats(model).values();
        if (earlyStopping != null) earlyStopping.reset();
        stopRequest = null;
        History history = new History();
        int batches = train instanceof Minibatch m ? m.size() : train instanceof Collection<?> c ? c.size() : -1;
        long globalStep = 0;
        try (ProgressReporter reporter = ProgressReporter.of(progress, err)) {
            for (int epoch = 1; epoch <= epochs && stopRequest == null; epoch++) {
                reporter.startEpoch(epoch, epochs, batches);
                double lossSum = 0, correct = 0;
                long examples = 0;
                int done = 0;
                long start = System.nanoTime();
                Iterator<B> it = train.iterator();
                while (stopRequest == null) {
                    StepInfo info;
                    try (TensorScope scope = TensorScope.open()) {
                        if (!it.hasNext()) break;
                        B b = it.next();   // made inside the scope, so its device tensor dies with the step
                        double lr = opt.lr();
                        Measured m = step.apply(b);
                        double l = m.tape().value();
                        for (Consumer<Tape> c : gradientCallbacks) c.accept(m.tape());
                        opt.step(m.tape(), params);
                        keep(scope, params, opt, stats);
                        done++;
                        examples += m.size();
                        lossSum += l;
                        correct += m.accuracy() * m.size();
                        info = new StepInfo(epoch, done, batches, ++globalStep, l, m.accuracy(), m.size(), lr);
                    }
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    reporter.step(done, lossSum / done, correct / examples, examples / elapsed, elapsed);
                    for (Consumer<StepInfo> c : stepCallbacks) c.accept(info);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (done == 0) throw new IllegalArgumentException("fit: the training data gave no batch in epoch " + epoch
                        + (train instanceof Minibatch m ? " (" + m.examples() + " of its examples make " + m.size() + " full batches of " + m.batchSize()
                                + "; use a batch size no larger than the number of examples, or partial batches)" : ""));
                Evaluation ev = evaluation == null ? new Evaluation(Double.NaN, Double.NaN, 0) : evaluation.get();
                EpochStats es = new EpochStats(epoch, lossSum / done, correct / examples, ev.loss(), ev.accuracy(), seconds, examples / seconds, examples);
                history.add(es);
                reporter.endEpoch(es, epochs);
                for (Consumer<EpochStats> c : epochCallbacks) c.accept(es);
                if (earlyStopping != null && stopRequest == null) {
                    String why = earlyStopping.observe(es);
                    if (why != null && epoch < epochs) stopRequest = why;
                }
            }
        }
        if (stopRequest != null) {
            history.stopped(stopRequest);
            err.println("[knetj] " + stopRequest);
        }
        return history;
    }

    private static int sizeOf(Object batch) { return batch instanceof Batch b ? b.size() : 1; }

    /** Lets what outlives a step survive its scope: parameters, their optimizer state, running statistics. */
    private static void keep(TensorScope scope, List<Param> params, Optimizer opt, Collection<BatchNormStats> stats) {
        for (Param p : params) {
            scope.keep(p.data());
            for (Tensor t : opt.slots(p)) scope.keep(t);
        }
        for (BatchNormStats s : stats) {
            scope.keep(s.mean());
            scope.keep(s.var());
        }
    }

    /** The model's mean loss and accuracy over data, batch by batch outside diff (so batch norm and dropout run in inference mode). */
    @SuppressWarnings("try")   // the scope is used for what it closes, not referenced in the body
    public static Evaluation evaluate(Layer model, Iterable<Batch> data, Loss loss) {
        double lossSum = 0, correct = 0;
        long n = 0;
        for (Iterator<Batch> it = data.iterator(); ; ) {
            try (TensorScope scope = TensorScope.open()) {
                if (!it.hasNext()) break;
                Batch b = it.next();
                Value scores = model.apply(b.x());
                lossSum += loss.apply(scores, b.labels()).item() * b.size();
                correct += NNOps.accuracy(scores, b.labels()) * b.size();
                n += b.size();
            }
        }
        if (n == 0) throw new IllegalArgumentException("evaluate: the data gave no batch");
        return new Evaluation(lossSum / n, correct / n, n);
    }

    /**
     * The mean loss of any model over data of any batch type, outside diff (so batch norm and dropout run in inference
     * mode), weighted by examples as in {@link #fit(Object, Iterable, Iterable, Objective, Optimizer, int)}; accuracy is NaN.
     */
    @SuppressWarnings("try")
    public static <M, B> Evaluation evaluate(M model, Iterable<B> data, Objective<M, B> objective) {
        double lossSum = 0;
        long n = 0;
        for (Iterator<B> it = data.iterator(); ; ) {
            try (TensorScope scope = TensorScope.open()) {
                if (!it.hasNext()) break;
                B b = it.next();
                int size = sizeOf(b);
                lossSum += objective.apply(model, b).item() * size;
                n += size;
            }
        }
        if (n == 0) throw new IllegalArgumentException("evaluate: the data gave no batch");
        return new Evaluation(lossSum / n, Double.NaN, n);
    }

    /** {@link #evaluate(Layer, Iterable, Loss)} with cross-entropy. */
    public static Evaluation evaluate(Layer model, Iterable<Batch> data) { return evaluate(model, data, (Loss) NNOps::crossEntropy); }
}
