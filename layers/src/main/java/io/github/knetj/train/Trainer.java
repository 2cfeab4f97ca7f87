package io.github.knetj.train;

import io.github.knetj.api.Tensor;
import io.github.knetj.api.TensorScope;
import io.github.knetj.autograd.AutoGrad;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.BatchNormStats;
import io.github.knetj.autograd.NNOps;
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
 * Each step computes the loss (cross-entropy of the model's scores by default) under {@link AutoGrad#diff}, updates
 * the parameters with the optimizer, and runs inside a {@link TensorScope} so that the step's device memory is
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
    private final List<Consumer<EpochStats>> epochCallbacks = new ArrayList<>();
    private EarlyStopping earlyStopping;
    private Progress progress = Progress.AUTO;
    private PrintStream err = System.err;
    private volatile String stopRequest;

    /** The objective; cross-entropy of the scores ({@link NNOps#crossEntropy}) unless set. */
    public Trainer loss(Loss l) { loss = Objects.requireNonNull(l, "loss"); return this; }

    /** A test set evaluated after every epoch (loss and accuracy). */
    public Trainer test(Iterable<Batch> data) { test = data; return this; }

    /** Runs after every step. */
    public Trainer onStep(Consumer<StepInfo> callback) { stepCallbacks.add(Objects.requireNonNull(callback)); return this; }

    /** Runs after every epoch, evaluation included. */
    public Trainer onEpoch(Consumer<EpochStats> callback) { epochCallbacks.add(Objects.requireNonNull(callback)); return this; }

    /** Stops when the rule says so (the rule's state starts afresh with each fit). */
    public Trainer earlyStopping(EarlyStopping rule) { earlyStopping = rule; return this; }

    /** How progress is shown; AUTO unless set. */
    public Trainer progress(Progress mode) { progress = Objects.requireNonNull(mode); return this; }

    /** Where progress goes; System.err unless set. */
    public Trainer progressTo(PrintStream out) { err = Objects.requireNonNull(out); return this; }

    /** Asks a running fit to stop after the current step (from a callback, say); fit records the reason. */
    public void stop(String reason) { stopRequest = reason == null ? "stopped" : reason; }

    /** Trains model on {@code train} for up to {@code epochs} epochs with {@code opt}; returns what each epoch measured. */
    public History fit(Layer model, Iterable<Batch> train, Optimizer opt, int epochs) {
        if (epochs < 0) throw new IllegalArgumentException("fit: epochs must not be negative, got " + epochs);
        if (earlyStopping != null && earlyStopping.needsTestSet() && test == null)
            throw new IllegalArgumentException("fit: early stopping on a test measure needs a test set (Trainer.test(data))");
        List<Param> params = Params.of(model);
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
                Iterator<Batch> it = train.iterator();
                while (stopRequest == null) {
                    StepInfo info;
                    try (TensorScope scope = TensorScope.open()) {
                        if (!it.hasNext()) break;
                        Batch b = it.next();   // made inside the scope, so its device tensor dies with the step
                        double lr = opt.lr();
                        Value[] scores = new Value[1];
                        Tape tape = AutoGrad.diff(() -> loss.apply(scores[0] = model.apply(b.x()), b.labels()));
                        double l = tape.value();
                        double acc = NNOps.accuracy(scores[0], b.labels());
                        opt.step(tape);
                        keep(scope, params, opt, stats);
                        done++;
                        examples += b.size();
                        lossSum += l;
                        correct += acc * b.size();
                        info = new StepInfo(epoch, done, batches, ++globalStep, l, acc, b.size(), lr);
                    }
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    reporter.step(done, lossSum / done, correct / examples, examples / elapsed, elapsed);
                    for (Consumer<StepInfo> c : stepCallbacks) c.accept(info);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (done == 0) throw new IllegalArgumentException("fit: the training data gave no batch in epoch " + epoch
                        + (train instanceof Minibatch m ? " (" + m.examples() + " of its examples make " + m.size() + " full batches of " + m.batchSize()
                                + "; use a batch size no larger than the number of examples, or partial batches)" : ""));
                Evaluation ev = test == null ? new Evaluation(Double.NaN, Double.NaN, 0) : evaluate(model, test, loss);
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

    /** {@link #evaluate(Layer, Iterable, Loss)} with cross-entropy. */
    public static Evaluation evaluate(Layer model, Iterable<Batch> data) { return evaluate(model, data, NNOps::crossEntropy); }
}
