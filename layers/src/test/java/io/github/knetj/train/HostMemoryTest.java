package io.github.knetj.train;

import io.github.knetj.api.Backend;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.data.Minibatch;
import io.github.knetj.optim.Optimizer;
import io.github.knetj.optim.Optimizers;
import io.github.knetj.tck.BackendUnderTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Memory and threads stay flat over 10,000 training steps on the host backends, whose tensors the garbage collector
 * frees (the device backends count live bytes instead: {@link DeviceMemoryTest}). The heap in use after a full
 * collection is sampled every 2,000 steps; a leak of one small tensor per step (about 300 bytes) would add 2.4 MB
 * between the second sample and the last, and the bound is 2 MB. Threads must not grow at all.
 */
class HostMemoryTest {
    static final int STEPS = 10_000, SAMPLE_EVERY = 2_000;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu", "reference"})
    void heapAndThreadsStayFlatOverTenThousandSteps(String name) {
        Backend backend = BackendUnderTest.get(name);
        Backend before = Defaults.backend();
        Defaults.backend(backend);
        try {
            DeviceMemoryTest.BnMlp model = DeviceMemoryTest.BnMlp.create(31);
            Minibatch train = TrainerTest.clusters(2000, 32, 6).shuffle(1);   // 1,000 batches of 6 an epoch
            Optimizer opt = Optimizers.adam(0.01).clipNorm(1);
            long[] heap = new long[STEPS / SAMPLE_EVERY];
            int[] threads = new int[heap.length];
            Trainer t = new Trainer().progress(Trainer.Progress.OFF).progressTo(new PrintStream(new ByteArrayOutputStream(), true))
                    .onStep(s -> {
                        if (s.step() % SAMPLE_EVERY != 0) return;
                        int i = (int) (s.step() / SAMPLE_EVERY) - 1;
                        heap[i] = usedHeapAfterGc();
                        threads[i] = Thread.activeCount();
                    });
            t.fit(model, train, opt, STEPS / train.size());   // 10 epochs: the history holds 10 rows, not 10,000
            String report = name + ": heap after steps 2000..10000 " + Arrays.toString(heap) + " bytes, threads " + Arrays.toString(threads);
            long growth = heap[heap.length - 1] - heap[1];
            assertTrue(growth < 2_000_000, "the heap grew by " + growth + " bytes; " + report);
            assertTrue(threads[threads.length - 1] <= threads[0], report);
            System.out.println(report);
        } finally {
            Defaults.backend(before);
        }
    }

    /** Bytes in use after collecting twice (the second catches what the first's finalization freed). */
    static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
