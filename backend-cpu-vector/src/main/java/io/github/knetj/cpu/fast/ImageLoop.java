package io.github.knetj.cpu.fast;

/**
 * The loop over a batch's images that every convolution strategy runs its per-image work in: the images spread over the
 * pool when there are at least as many as threads, else one after another, each with all threads for itself.
 */
public final class ImageLoop {
    /** Image tasks per pool thread in {@link #perImage}: enough to rebalance, few enough that each amortises its fork. */
    private static final int TASKS_PER_THREAD = 4;

    private ImageLoop() {}

    /** The work for image n with a scratch column matrix; {@code inner} says whether it may use all threads itself. */
    @FunctionalInterface
    public interface ImageBody {
        void run(int n, Object cols, boolean inner);
    }

    /** Spreads the images over the pool when there are enough of them, else runs them one by one with inner parallelism. */
    public static void perImage(int batch, ImageBody body, Object like, int scratch) {
        if (batch >= Parallel.threads()) {
            // Several tasks per thread, so the images of a thread that another process holds up are taken by the others.
            int per = Math.max(1, batch / (TASKS_PER_THREAD * Parallel.threads())), tasks = (batch + per - 1) / per;
            Parallel.forEach(tasks, (t0, t1) -> {
                Object cols = like(like, scratch);
                for (int n = t0 * per; n < Math.min(batch, t1 * per); n++) body.run(n, cols, false);
            });
        } else {
            Object cols = like(like, scratch);
            for (int n = 0; n < batch; n++) body.run(n, cols, true);
        }
    }

    /** A new zero array of the same element type as {@code like}. */
    public static Object like(Object like, int n) { return like instanceof float[] ? new float[n] : new double[n]; }
}
