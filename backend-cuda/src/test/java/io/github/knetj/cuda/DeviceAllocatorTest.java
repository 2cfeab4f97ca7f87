package io.github.knetj.cuda;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The caching allocator's bookkeeping, on a fake device whose memory is a list of objects. */
class DeviceAllocatorTest {
    /** A device with a capacity: allocations beyond it throw, as cuMemAlloc does with CUDA_ERROR_OUT_OF_MEMORY. */
    static final class FakeDevice implements DeviceAllocator.Raw<Object> {
        final long capacity;
        final List<Object> freed = new ArrayList<>();
        long used;
        int allocations;

        FakeDevice(long capacity) { this.capacity = capacity; }

        @Override public Object allocate(long bytes) {
            if (used + bytes > capacity) throw new IllegalStateException("CUDA_ERROR_OUT_OF_MEMORY");
            used += bytes;
            allocations++;
            return new long[] {bytes};
        }

        @Override public void free(Object ptr) {
            used -= ((long[]) ptr)[0];
            freed.add(ptr);
        }
    }

    @Test
    void sizeClassesWasteAtMostAQuarter() {
        assertEquals(512, DeviceAllocator.roundUp(1));
        assertEquals(1024, DeviceAllocator.roundUp(1000));
        for (long b = 513; b < 50_000_000; b = b * 3 / 2 + 7) {
            long r = DeviceAllocator.roundUp(b);
            assertTrue(r >= b && r <= b + Math.max(512, b / 4), b + " -> " + r);
            assertEquals(r, DeviceAllocator.roundUp(r), "a size class maps to itself");
        }
    }

    @Test
    void releasedBlocksAreReused() {
        FakeDevice dev = new FakeDevice(1 << 20);
        DeviceAllocator<Object> a = new DeviceAllocator<>(dev);
        var b1 = a.allocate(1000);
        assertEquals(1000, a.liveBytes());
        assertEquals(1024, b1.bytes());
        a.release(b1);
        assertEquals(0, a.liveBytes());
        assertEquals(1024, a.cachedBytes());
        var b2 = a.allocate(900);
        assertSame(b1.ptr(), b2.ptr());
        assertEquals(1, dev.allocations);
        assertEquals(0, a.cachedBytes());
    }

    /** What CudaTensor does: a Cleaner returns the block of an object nobody closed once it is unreachable. */
    @Test
    void aFullDeviceCollectsUnclosedTensors() {
        FakeDevice dev = new FakeDevice(4096);
        DeviceAllocator<Object> a = new DeviceAllocator<>(dev);
        java.lang.ref.Cleaner cleaner = java.lang.ref.Cleaner.create();
        var block = a.allocate(4096);
        cleaner.register(new Object(), () -> a.release(block));   // the owner is unreachable at once
        var again = a.allocate(4096);
        assertSame(block.ptr(), again.ptr(), "the leaked block came back through the Cleaner and the cache");
        assertEquals(1, dev.allocations);
    }

    @Test
    void emptyBlocksCostNothing() {
        DeviceAllocator<Object> a = new DeviceAllocator<>(new FakeDevice(0));
        var b = a.allocate(0);
        assertNull(b.ptr());
        a.release(b);
        assertEquals(0, a.liveBytes());
    }

    @Test
    void aFullDeviceFreesTheCacheAndRetries() {
        FakeDevice dev = new FakeDevice(4096);
        DeviceAllocator<Object> a = new DeviceAllocator<>(dev);
        a.release(a.allocate(3000));          // 3072 bytes now cached in another size class
        var big = a.allocate(2048);
        assertEquals(1, dev.freed.size(), "the cached block went back to the driver");
        assertEquals(2048, a.liveBytes());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.allocate(4000));
        assertTrue(e.getMessage().contains("cannot allocate 4000 bytes") && e.getMessage().contains("2048 bytes held"), e.getMessage());
        a.release(big);
        assertEquals(0, a.liveBytes());
        assertEquals(2048, a.cachedBytes());
    }
}
