package io.github.knetj.cpu.fast;

import io.github.knetj.api.ThreadCount;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one team of threads every CPU kernel shares, and the parallel loops that split independent work items over it.
 * Work is split only when there is enough of it; small loops run inline on the caller's thread.
 * <p>
 * A loop over {@code count} items is one {@link Job}: the caller and {@code threads − 1} workers take item after item
 * from a shared counter until none is left, then the caller waits for the items still running. Two choices make this
 * cheaper than a fork/join pool on a small machine, where a training step runs hundreds of short parallel loops. The
 * caller works instead of sleeping, so a worker that wakes late costs nothing but its share. And a worker that has
 * just finished spins for {@link #SPIN_NANOS} (50 µs) before parking, so that the next loop, usually microseconds
 * away, finds it awake: OpenMP runtimes do the same. With a fork/join pool, two 10 µs halves took 37–44 µs on this
 * 2-core machine, against 20 µs on one thread; with this team they take 9 µs. The caller spins for the last items of
 * a loop, and dozes once they have taken a millisecond ({@link #DOZE_AFTER_NANOS}).
 * <p>
 * Each item covers a fixed range whoever runs it, so results never depend on the thread count or on timing.
 */
public final class Parallel {
    /** A body that handles items {@code [from, to)}; it must not write where another range writes. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    /**
     * How long an idle worker keeps looking for the next loop before it parks. 200 µs gave the same steady epochs but
     * slowed the JIT's warm-up (the spinning core is one the compiler threads could use): the MLP's first three epochs
     * took 1.47–1.69, 0.49–0.68 and 0.52–0.58 s with 200 µs, against 1.33–1.51, 0.41–0.47 and 0.44–0.46 s with 50.
     */
    static final long SPIN_NANOS = 50_000;

    /**
     * How long the caller spins for the items still running before it dozes in {@link #DOZE_NANOS} sleeps. A wait this
     * long means a worker lost its core (to the JIT's compiler threads, say, or another process) in mid-item, and the
     * scheduler gives it back only at the end of a time slice, about 3 ms later; a caller that spins holds the one core
     * the worker could move to, and an idle core takes it at once. Items are shorter than this, so an ordinary wait
     * still spins.
     */
    static final long DOZE_AFTER_NANOS = 1_000_000, DOZE_NANOS = 50_000;

    /** 0 until first asked: read in a static initializer, a bad KNETJ_THREADS became an ExceptionInInitializerError. */
    private static volatile int threads;
    private static Team team;
    /** One loop at a time; a second caller (another thread) meanwhile runs its loop inline. */
    private static final ReentrantLock SUBMIT = new ReentrantLock();

    private Parallel() {}

    /** {@code knetj.threads}, else {@code KNETJ_THREADS}, else the number of processors, checked by {@link ThreadCount}. */
    static int configuredThreads() { return ThreadCount.configured(); }

    public static int threads() {
        int t = threads;
        if (t == 0) threads = t = configuredThreads();
        return t;
    }

    /** Sets the thread count; the team is rebuilt on the next loop, and a loop already running finishes on the old one. */
    public static void setThreads(int n) {
        ThreadCount.check("setThreads", n);
        SUBMIT.lock();
        try {
            if (n == threads) return;
            threads = n;
            if (team != null) team.stop();
            team = null;
        } finally {
            SUBMIT.unlock();
        }
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@code threads()} ranges of at least {@code grain} items.
     * Each item is handled by exactly one range, so results never depend on the thread count when items are independent.
     */
    public static void forRange(int n, int grain, Range body) {
        int chunks = (int) Math.min(threads(), (n + (long) Math.max(grain, 1) - 1) / Math.max(grain, 1));
        if (chunks <= 1) {
            if (n > 0) body.run(0, n);
            return;
        }
        run(chunks, c -> body.run((int) ((long) c * n / chunks), (int) ((long) (c + 1) * n / chunks)));
    }

    /**
     * Runs {@code body} over each item of {@code [0, n)} on its own, for a few coarse items: a thread slowed by other
     * processes on a shared machine then leaves its remaining items to the others.
     */
    public static void forEach(int n, Range body) {
        if (n <= 1 || threads() == 1) {
            if (n > 0) body.run(0, n);
            return;
        }
        run(n, i -> body.run(i, i + 1));
    }

    /** Runs items [0, count) on the team, the caller included; inline when nested, single-threaded or contended. */
    private static void run(int count, java.util.function.IntConsumer item) {
        if (Thread.currentThread() instanceof Worker || SUBMIT.isHeldByCurrentThread() || !SUBMIT.tryLock()) {
            for (int i = 0; i < count; i++) item.accept(i);
            return;
        }
        try {
            if (team == null) team = new Team(threads() - 1);
            team.run(new Job(item, count));
        } finally {
            SUBMIT.unlock();
        }
    }

    /** One loop: items are claimed from {@code next}; {@code done} counts finished ones; the first failure is kept. */
    private static final class Job {
        final java.util.function.IntConsumer item;
        final int count;
        final AtomicInteger next = new AtomicInteger(), done = new AtomicInteger();
        volatile Throwable failure;

        Job(java.util.function.IntConsumer item, int count) {
            this.item = item;
            this.count = count;
        }

        /** Claims and runs items until none is left. */
        void work() {
            for (int i; (i = next.getAndIncrement()) < count; done.incrementAndGet()) {
                try {
                    if (failure == null) item.accept(i);
                } catch (Throwable t) {
                    if (failure == null) failure = t;
                }
            }
        }
    }

    private static final class Team {
        final Worker[] workers;
        /** The loop workers should join; a new object for every loop, so a worker never runs one twice. */
        volatile Job current;
        volatile boolean stopped;

        Team(int size) {
            workers = new Worker[size];
            for (int i = 0; i < size; i++) {
                workers[i] = new Worker(this, i);
                workers[i].start();
            }
        }

        void run(Job job) {
            current = job;
            for (Worker w : workers) if (w.parked) LockSupport.unpark(w);
            job.work();
            long since = System.nanoTime();
            while (job.done.get() < job.count) {
                if (System.nanoTime() - since < DOZE_AFTER_NANOS) Thread.onSpinWait();
                else LockSupport.parkNanos(DOZE_NANOS);
            }
            Throwable t = job.failure;
            if (t instanceof RuntimeException r) throw r;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException(t);
        }

        void stop() {
            stopped = true;
            for (Worker w : workers) LockSupport.unpark(w);
        }
    }

    private static final class Worker extends Thread {
        private final Team team;
        volatile boolean parked;

        Worker(Team team, int index) {
            super("knetj-cpu-" + index);
            this.team = team;
            setDaemon(true);
        }

        @Override public void run() {
            Job last = null;
            while (!team.stopped) {
                Job job = team.current;
                if (job != last && job != null) {
                    last = job;
                    job.work();
                    continue;
                }
                long until = System.nanoTime() + SPIN_NANOS;
                while (team.current == last && !team.stopped && System.nanoTime() < until) Thread.onSpinWait();
                if (team.current != last || team.stopped) continue;
                parked = true;
                // Checked again after announcing the park: a loop posted in between either sees parked and unparks,
                // or was posted before, and then current has changed here.
                if (team.current == last && !team.stopped) LockSupport.park(this);
                parked = false;
            }
        }
    }
}
