package io.github.knetj.cpu.fast;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link KernelWarmUp}: its loops stay within their arrays at every size, its products are ones the packed product
 * takes, and it runs on one daemon thread per JVM.
 */
class KernelWarmUpTest {
    @Test void everyLoopRunsWithinItsArrays() {
        int lanes = FloatLoops.S.length();
        for (int n : new int[] {1, 3, lanes, lanes + 3, 8 * lanes + 3})
            for (Runnable loop : KernelWarmUp.loops(n)) assertDoesNotThrow(loop::run, "n = " + n);
        assertDoesNotThrow(KernelWarmUp::run);
    }

    @Test void everyWarmedProductIsOneThePackedProductTakes() {
        List<BooleanSupplier> products = KernelWarmUp.products();
        assertEquals(3, products.size());
        for (int i = 0; i < products.size(); i++) assertTrue(products.get(i).getAsBoolean(), "product " + i + " was left to another kernel");
    }

    @Test void theFirstTableStartsItAndASecondNoSecondThread() {
        VectorKernels.create();
        assertEquals(KernelWarmUp.ENABLED && Runtime.getRuntime().availableProcessors() >= 2, KernelWarmUp.started());
        VectorKernels.create();
        List<Thread> warm = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("knetj-warm-up")).toList();
        assertTrue(warm.size() <= 1, warm.toString());
        for (Thread t : warm) assertTrue(t.isDaemon(), t + " is not a daemon thread");
    }
}
