package io.github.knetj.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * The one thread pool every CPU kernel shares, and the parallel loop that splits a range of independent work items
 * over it. Work is split only when there is enough of it; small loops run inline on the caller's thread.
 */
final class Parallel {
    /** A body that handles items {@code [from, to)}; it must not write where another range writes. */
    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    private static volatile ForkJoinPool pool;
    private static volatile int threads = configuredThreads();

    private Parallel() {}

    /** {@code knetj.threads}, else {@code KNETJ_THREADS}, else the number of processors. */
    static int configuredThreads() {
        String s = System.getProperty("knetj.threads");
        if (s == null || s.isBlank()) s = System.getenv("KNETJ_THREADS");
        if (s == null || s.isBlank()) return Runtime.getRuntime().availableProcessors();
        try {
            int n = Integer.parseInt(s.trim());
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // reported below with the value that was given
        }
        throw new IllegalArgumentException("knetj.threads / KNETJ_THREADS: expected a thread count >= 1, got '" + s + "'");
    }

    static int threads() { return threads; }

    /** Sets the thread count; the pool is rebuilt lazily, and work already running finishes on the old one. */
    static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("setThreads: expected a thread count >= 1, got " + n);
        if (n == threads) return;
        ForkJoinPool old = pool;
        threads = n;
        pool = null;
        if (old != null) old.shutdown();
    }

    private static synchronized ForkJoinPool pool() {
        if (pool == null) pool = new ForkJoinPool(threads, p -> {
            var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("knetj-cpu-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false);
        return pool;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@code threads()} ranges of at least {@code grain} items.
     * Each item is handled by exactly one range, so results never depend on the thread count when items are independent.
     */
    static void forRange(int n, int grain, Range body) {
        int t = threads;
        int chunks = (int) Math.min(t, (n + (long) Math.max(grain, 1) - 1) / Math.max(grain, 1));
        if (chunks <= 1) {
            if (n > 0) body.run(0, n);
            return;
        }
        run(new Task(body, n, chunks, 0, chunks));
    }

    /**
     * Runs {@code body} over each item of {@code [0, n)} as its own task, for a few coarse items: a thread slowed by
     * other processes on a shared machine then leaves its remaining items to the others.
     */
    static void forEach(int n, Range body) {
        if (n <= 1 || threads == 1) {
            if (n > 0) body.run(0, n);
            return;
        }
        run(new Task(body, n, n, 0, n));
    }

    /** Runs the task on the pool, in place when already on one of its workers (a parallel loop inside another). */
    private static void run(Task task) {
        ForkJoinPool p = pool();
        if (ForkJoinTask.inForkJoinPool() && ForkJoinTask.getPool() == p) task.invoke();
        else p.invoke(task);
    }

    /** Splits chunk indices in halves until one is left; chunk c covers items [c·n/chunks, (c+1)·n/chunks). */
    private static final class Task extends RecursiveAction {
        private final Range body;
        private final int n, chunks, lo, hi;

        Task(Range body, int n, int chunks, int lo, int hi) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            this.lo = lo;
            this.hi = hi;
        }

        @Override protected void compute() {
            if (hi - lo == 1) {
                body.run((int) ((long) lo * n / chunks), (int) ((long) hi * n / chunks));
                return;
            }
            int mid = (lo + hi) >>> 1;
            invokeAll(new Task(body, n, chunks, lo, mid), new Task(body, n, chunks, mid, hi));
        }
    }
}
