package io.github.knetj.train;

import java.io.PrintStream;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Knet's {@code progress(itr)} for hand-written loops: an iterable that shows a progress bar (or periodic lines, as
 * {@link Trainer.Progress} decides) while it is iterated, with an optional running value such as the last loss.
 * <pre>{@code
 * double[] loss = {Double.NaN};
 * for (Batch b : LoopProgress.progress(dtrn, () -> loss[0])) loss[0] = step(b);
 * }</pre>
 * The bar closes, with a summary line, when the iteration ends. The length is known for a {@link Collection} or a
 * {@link io.github.knetj.data.Minibatch}; otherwise the bar counts without a total.
 */
public final class LoopProgress<T> implements Iterable<T> {
    private final Iterable<T> items;
    private final DoubleSupplier value;
    private final Trainer.Progress mode;
    private final PrintStream err;
    private final String name;
    private final int epoch, epochs;

    private LoopProgress(Iterable<T> items, DoubleSupplier value, Trainer.Progress mode, PrintStream err, String name, int epoch, int epochs) {
        this.items = Objects.requireNonNull(items, "progress: items");
        this.value = value;
        this.mode = mode;
        this.err = err;
        this.name = name;
        this.epoch = epoch;
        this.epochs = epochs;
    }

    /** items, shown with a bar as they are iterated. */
    public static <T> LoopProgress<T> progress(Iterable<T> items) { return new LoopProgress<>(items, null, Trainer.Progress.AUTO, System.err, "progress", 1, 1); }

    /** items, shown with a bar and {@code value} (read after each item, printed as "loss") as they are iterated. */
    public static <T> LoopProgress<T> progress(Iterable<T> items, DoubleSupplier value) {
        return new LoopProgress<>(items, value, Trainer.Progress.AUTO, System.err, "progress", 1, 1);
    }

    /** The same, shown in this mode to this stream under this name. */
    public LoopProgress<T> to(Trainer.Progress mode, PrintStream err, String name) { return new LoopProgress<>(items, value, mode, err, name, epoch, epochs); }

    /** The same, labelled as epoch {@code epoch} of {@code epochs} in the bar ("epoch 3/10"). */
    public LoopProgress<T> epoch(int epoch, int epochs) { return new LoopProgress<>(items, value, mode, err, name, epoch, epochs); }

    @Override public Iterator<T> iterator() {
        int total = items instanceof io.github.knetj.data.Minibatch m ? m.size() : items instanceof Collection<?> c ? c.size() : -1;
        Iterator<T> it = items.iterator();
        ProgressReporter reporter = ProgressReporter.of(mode, err);
        reporter.startEpoch(epoch, epochs, total);
        long start = System.nanoTime();
        return new Iterator<>() {
            private int done, reported;
            private boolean open = true;
            private double sum;

            @Override public boolean hasNext() {
                if (done > reported && open) report();
                boolean more = it.hasNext();
                if (!more && open) {
                    open = false;
                    double seconds = (System.nanoTime() - start) / 1e9;
                    reporter.close();
                    err.println(String.format(java.util.Locale.ROOT, "%s: %d items in %.1f s%s", name, done, seconds,
                            value == null || done == 0 ? "" : String.format(java.util.Locale.ROOT, ", mean loss %.4f", sum / done)));
                }
                return more;
            }

            @Override public T next() {
                T t = it.next();
                done++;
                return t;
            }

            /** Called before the next item is asked for, so the value reflects the item just processed. */
            private void report() {
                reported = done;
                double v = value == null ? Double.NaN : value.getAsDouble();
                if (value != null) sum += v;
                double elapsed = (System.nanoTime() - start) / 1e9;
                reporter.step(done, v, Double.NaN, done / Math.max(elapsed, 1e-9), elapsed);
            }
        };
    }

    @Override public String toString() { return "progress(" + items + ")"; }
}
