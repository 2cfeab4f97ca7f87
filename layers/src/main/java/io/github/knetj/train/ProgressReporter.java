package io.github.knetj.train;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Shows training progress on stderr: a live bar (me.tongfei:progressbar) on a terminal, periodic plain lines where
 * stderr is a log file or CI output, or nothing. Each epoch ends with a one-line summary in the first two modes.
 */
interface ProgressReporter extends AutoCloseable {
    /** A new epoch of {@code batches} batches (-1 when unknown) begins. */
    void startEpoch(int epoch, int epochs, int batches);

    /** After a step: batches done, the epoch's mean loss and running accuracy so far, examples per second, seconds elapsed. */
    void step(int done, double loss, double accuracy, double examplesPerSecond, double elapsed);

    /** The epoch is over (evaluation included). */
    void endEpoch(EpochStats stats, int epochs);

    @Override void close();

    /** " acc 0.9612", or nothing when there is no accuracy (a loss that is not a classifier's). */
    static String acc(double accuracy) { return Double.isNaN(accuracy) ? "" : String.format(Locale.ROOT, " acc %.4f", accuracy); }

    /** The reporter for a mode; AUTO picks BAR on a terminal, else LINES. */
    static ProgressReporter of(Trainer.Progress mode, PrintStream err) {
        return switch (mode == Trainer.Progress.AUTO ? autoMode() : mode) {
            case BAR -> new Bar(err);
            case LINES -> new Lines(err, Duration.ofSeconds(10));
            default -> new Silent();
        };
    }

    /**
     * KNETJ_PROGRESS (bar, lines, off) if set; otherwise a bar only on an interactive terminal: System.console() must
     * exist and, on JDK 22 and newer where it always exists, report isTerminal(); TERM=dumb means lines.
     */
    private static Trainer.Progress autoMode() {
        String env = System.getenv("KNETJ_PROGRESS");
        if (env != null && !env.isBlank()) {
            return Trainer.Progress.parse("KNETJ_PROGRESS", env);
        }
        java.io.Console c = System.console();
        if (c == null || "dumb".equals(System.getenv("TERM"))) return Trainer.Progress.LINES;
        try {
            Object terminal = java.io.Console.class.getMethod("isTerminal").invoke(c);
            return Boolean.TRUE.equals(terminal) ? Trainer.Progress.BAR : Trainer.Progress.LINES;
        } catch (ReflectiveOperationException e) {
            return Trainer.Progress.BAR;   // before JDK 22 a console exists only on a terminal
        }
    }

    /** The live bar: epoch, batch/total, percentage, elapsed and ETA from the library, loss, accuracy and speed as its message. */
    final class Bar implements ProgressReporter {
        private final PrintStream err;
        private ProgressBar bar;

        Bar(PrintStream err) { this.err = err; }

        @Override public void startEpoch(int epoch, int epochs, int batches) {
            bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
                    .setInitialMax(batches).setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(err)).build();
        }

        @Override public void step(int done, double loss, double accuracy, double examplesPerSecond, double elapsed) {
            bar.stepTo(done);
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f%s %,.0f ex/s", loss, acc(accuracy), examplesPerSecond));
        }

        @Override public void endEpoch(EpochStats stats, int epochs) {
            close();
            err.println(stats.summary(epochs));
        }

        @Override public void close() {
            if (bar != null) bar.close();
            bar = null;
        }
    }

    /** Plain lines at most every {@code every}, for logs where a redrawn bar would be noise. */
    final class Lines implements ProgressReporter {
        private final PrintStream err;
        private final long everyNanos;
        private long lastLine;
        private int epoch, epochs, batches;

        Lines(PrintStream err, Duration every) { this.err = err; this.everyNanos = every.toNanos(); }

        @Override public void startEpoch(int epoch, int epochs, int batches) {
            this.epoch = epoch;
            this.epochs = epochs;
            this.batches = batches;
            lastLine = System.nanoTime();
        }

        @Override public void step(int done, double loss, double accuracy, double examplesPerSecond, double elapsed) {
            long now = System.nanoTime();
            if (now - lastLine < everyNanos) return;
            lastLine = now;
            String eta = batches > 0 ? String.format(Locale.ROOT, " eta %.0fs", elapsed / done * (batches - done)) : "";
            err.println(String.format(Locale.ROOT, "epoch %d/%d batch %d/%s loss %.4f%s %,.0f ex/s elapsed %.0fs%s",
                    epoch, epochs, done, batches > 0 ? Integer.toString(batches) : "?", loss, acc(accuracy), examplesPerSecond, elapsed, eta));
        }

        @Override public void endEpoch(EpochStats stats, int epochs) { err.println(stats.summary(epochs)); }

        @Override public void close() {}
    }

    /** No output. */
    final class Silent implements ProgressReporter {
        @Override public void startEpoch(int epoch, int epochs, int batches) {}
        @Override public void step(int done, double loss, double accuracy, double examplesPerSecond, double elapsed) {}
        @Override public void endEpoch(EpochStats stats, int epochs) {}
        @Override public void close() {}
    }
}
