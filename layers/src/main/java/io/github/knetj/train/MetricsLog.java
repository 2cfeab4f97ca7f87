package io.github.knetj.train;

import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Ops;
import io.github.knetj.io.AtomicFiles;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Training metrics as JSON lines, one object per step and one per epoch, for plots and scripts
 * ({@code pandas.read_json(path, lines=True)}, {@code jq}):
 * <pre>{@code
 * {"kind": "step", "epoch": 1, "batch": 3, "step": 3, "loss": 2.1, "accuracy": 0.31, "lr": 0.001, "grad_norm": 4.2,
 *  "examples": 100, "examples_per_second": 5210.0, "seconds": 0.061}
 * {"kind": "epoch", "epoch": 1, "train_loss": ..., "train_accuracy": ..., "test_loss": ..., "test_accuracy": ...,
 *  "train_seconds": ..., "examples_per_second": ..., "examples": ..., "seconds": 12.9}
 * }</pre>
 * {@code seconds} is the time since the log was attached (or since its first step, when its callbacks are registered by
 * hand); a step's {@code examples_per_second} is its batch over the
 * time since the previous step (or since the epoch began), and {@code grad_norm} the global L2 norm of the step's
 * gradients before clipping, as {@code torch.nn.utils.clip_grad_norm_} reports it.
 * <p>
 * Use: {@code try (MetricsLog log = MetricsLog.to(path)) { log.attach(trainer); trainer.fit(...); }}. Lines go to a
 * hidden temporary file beside {@code path} as training runs (flushed line by line, so it can be followed), which
 * {@link #close()} moves onto {@code path} in one rename: {@code path} never holds a half-written log.
 * The steps are also kept in memory for {@link StepPlot}.
 */
public final class MetricsLog implements Closeable {
    private final Path target;
    private final Path tmp;
    private final BufferedWriter out;
    private final List<StepPlot.Point> steps = new ArrayList<>();
    private final List<EpochStats> epochs = new ArrayList<>();
    private long start = -1, last;
    private double gradNorm = Double.NaN;
    private boolean closed;

    private MetricsLog(Path target) throws IOException {
        this.target = target.toAbsolutePath();
        Files.createDirectories(this.target.getParent());
        this.tmp = AtomicFiles.tempFile(this.target.getParent(), this.target.getFileName().toString());
        this.out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
    }

    /** A log that will be written to {@code path} (JSON lines) when closed. */
    public static MetricsLog to(Path path) throws IOException { return new MetricsLog(path); }

    /** Registers this log's callbacks on trainer (gradients for the norm, steps, epochs) and starts its clock: attach just before fit. */
    public MetricsLog attach(Trainer trainer) {
        trainer.onGradients(this::gradients).onStep(this::step).onEpoch(this::epoch);
        start = last = System.nanoTime();
        return this;
    }

    /** Measures the global gradient norm of the step whose tape this is. */
    public void gradients(Tape tape) {
        double sq = 0;
        for (Param p : tape.params()) {
            Value g = tape.grad(p);
            if (g != null) sq += Ops.sum(Ops.square(g)).item();
        }
        gradNorm = Math.sqrt(sq);
    }

    /** Writes one step's line. */
    public void step(StepInfo s) {
        long now = System.nanoTime();
        if (start < 0) { start = now; last = now; }
        double dt = (now - last) / 1e9;
        last = now;
        double seconds = (now - start) / 1e9;
        steps.add(new StepPlot.Point(s.step(), s.epoch(), s.loss(), s.accuracy()));
        line(String.format(Locale.ROOT, "{\"kind\": \"step\", \"epoch\": %d, \"batch\": %d, \"step\": %d, \"loss\": %s, \"accuracy\": %s, "
                        + "\"lr\": %s, \"grad_norm\": %s, \"examples\": %d, \"examples_per_second\": %s, \"seconds\": %.4f}",
                s.epoch(), s.batch(), s.step(), num(s.loss()), num(s.accuracy()), num(s.lr()), num(gradNorm), s.batchSize(),
                dt > 0 ? num(s.batchSize() / dt) : "null", seconds));
        gradNorm = Double.NaN;
    }

    /** Writes one epoch's line: {@link EpochStats#toJson()} with the kind and the time since the log began. */
    public void epoch(EpochStats e) {
        long now = System.nanoTime();
        epochs.add(e);
        String json = e.toJson();
        line("{\"kind\": \"epoch\", " + json.substring(1, json.length() - 1)
                + String.format(Locale.ROOT, ", \"seconds\": %.4f}", start < 0 ? 0 : (now - start) / 1e9));
        last = now;   // the next epoch's first step is not charged for this epoch's evaluation
    }

    /** The steps seen so far (step, epoch, loss, accuracy). */
    public List<StepPlot.Point> steps() { return List.copyOf(steps); }

    /** The epochs seen so far. */
    public List<EpochStats> epochs() { return List.copyOf(epochs); }

    private void line(String json) {
        if (closed) throw new IllegalStateException("MetricsLog: " + target + " is already closed");
        try {
            out.write(json);
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("MetricsLog: cannot write " + tmp, e);
        }
    }

    private static String num(double v) { return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null"; }

    /** Drops the log of a run that failed: the temporary file is removed and the target is left as it was. */
    public void discard() throws IOException {
        if (closed) return;
        closed = true;
        try {
            out.close();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Finishes the file: moves the lines written onto the target path in one rename. */
    @Override public void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            out.close();
            AtomicFiles.moveAtomically(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
