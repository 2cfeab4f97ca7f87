package io.github.knetj.cpu.fast;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** The team behind every parallel loop: each item exactly once, failures surface, nesting and other callers run inline. */
class ParallelTest {
    private int before;

    @BeforeEach void threeThreads() { before = Parallel.threads(); Parallel.setThreads(3); }

    @AfterEach void restore() { Parallel.setThreads(before); }

    @Test void everyItemRunsExactlyOnceOverManyLoops() {
        for (int loop = 0; loop < 2_000; loop++) {
            int n = 1 + loop % 37;
            AtomicIntegerArray hits = new AtomicIntegerArray(n);
            Parallel.forEach(n, (from, to) -> { for (int i = from; i < to; i++) hits.incrementAndGet(i); });
            for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "loop " + loop + ", item " + i);
            AtomicIntegerArray covered = new AtomicIntegerArray(1000);
            Parallel.forRange(1000, 1, (from, to) -> { for (int i = from; i < to; i++) covered.incrementAndGet(i); });
            for (int i = 0; i < 1000; i++) assertEquals(1, covered.get(i), "forRange, loop " + loop + ", element " + i);
        }
    }

    @Test void aFailureInAnItemIsThrownToTheCaller() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forEach(8, (from, to) -> {
            if (from == 5) throw new IllegalStateException("item 5");
        }));
        assertEquals("item 5", e.getMessage());
        AtomicIntegerArray hits = new AtomicIntegerArray(4);
        Parallel.forEach(4, (from, to) -> hits.incrementAndGet(from));
        for (int i = 0; i < 4; i++) assertEquals(1, hits.get(i), "the team still works after a failure");
    }

    @Test void aNestedLoopRunsInlineOnTheThreadThatMeetsIt() {
        AtomicIntegerArray hits = new AtomicIntegerArray(6 * 5);
        AtomicReference<String> wrong = new AtomicReference<>();
        Parallel.forEach(6, (from, to) -> {
            Thread outer = Thread.currentThread();
            Parallel.forEach(5, (f, t) -> {
                if (Thread.currentThread() != outer) wrong.set("inner item ran on " + Thread.currentThread().getName());
                hits.incrementAndGet(from * 5 + f);
            });
        });
        assertNull(wrong.get());
        for (int i = 0; i < 30; i++) assertEquals(1, hits.get(i));
    }

    @Test void callersOnOtherThreadsGetCorrectResultsToo() throws InterruptedException {
        int callers = 4;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(callers);
        for (int c = 0; c < callers; c++) {
            Thread t = new Thread(() -> {
                try {
                    for (int loop = 0; loop < 300; loop++) {
                        long[] sums = new long[16];
                        Parallel.forEach(16, (from, to) -> { for (int i = from; i < to; i++) sums[i] = (long) i * i; });
                        for (int i = 0; i < 16; i++) if (sums[i] != (long) i * i) throw new AssertionError("item " + i + " missing");
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            });
            t.start();
        }
        done.await();
        assertNull(failure.get());
    }
}
