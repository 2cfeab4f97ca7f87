package io.github.knetj.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A caching device allocator: freed blocks go to a free list keyed by their rounded size and are handed out again
 * instead of calling {@code cuMemFree}/{@code cuMemAlloc} (both synchronise the device). With one stream, a block
 * released while a queued kernel still reads it is safe to reuse: the next user's kernels run after it.
 * Sizes round up to 512 bytes, then to steps of a quarter power of two (at most 25% slack), so that the shapes
 * of a training loop, which repeat every step, land in the same lists. Thread-safe: the Cleaner releases from its
 * own thread.
 *
 * @param <P> the driver's pointer type (a CUdeviceptr; a plain object in tests)
 */
final class DeviceAllocator<P> {
    /** Raw device memory: the driver's alloc and free. */
    interface Raw<P> {
        /** Fresh memory of exactly this many bytes; throws when the device is full. */
        P allocate(long bytes);

        void free(P ptr);
    }

    /** A piece of device memory of {@code bytes} (the size class) holding {@code requested} bytes; {@code ptr} is null for empty tensors. */
    record Block<P>(P ptr, long bytes, long requested) {}

    private final Raw<P> raw;
    private final Map<Long, ArrayDeque<P>> free = new HashMap<>();
    private long liveBytes, cachedBytes;   // requested bytes of blocks handed out; size-class bytes of cached blocks

    DeviceAllocator(Raw<P> raw) { this.raw = raw; }

    /** The size class of a request. */
    static long roundUp(long bytes) {
        if (bytes <= 512) return 512;
        long pow = Long.highestOneBit(bytes - 1) << 1;   // the next power of two >= bytes
        long step = Math.max(512, pow / 8);              // quarter steps of the power below
        return (bytes + step - 1) / step * step;
    }

    /** Thrown when the device stays full after the cache and unreachable tensors were released. */
    static final class DeviceFullException extends IllegalStateException {
        DeviceFullException(String message, Throwable cause) { super(message, cause); }
    }

    /**
     * A block of at least {@code bytes}. On a full device it frees the cache and tries again; if that fails too it
     * runs the garbage collector, whose Cleaners return the blocks of tensors nobody closed, and tries once more.
     * The wait happens outside the lock, since the Cleaner thread needs it to release.
     */
    Block<P> allocate(long bytes) {
        try {
            return allocateOrDropCache(bytes);
        } catch (DeviceFullException full) {
            long cached = cachedBytes();
            System.gc();
            // The Cleaner thread releases asynchronously: wait (up to a second) for the cache to grow.
            for (int i = 0; i < 20 && cachedBytes() <= cached; i++) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return allocateOrDropCache(bytes);
        }
    }

    private synchronized Block<P> allocateOrDropCache(long bytes) {
        if (bytes == 0) return new Block<>(null, 0, 0);
        long size = roundUp(bytes);
        ArrayDeque<P> list = free.get(size);
        P ptr;
        if (list != null && !list.isEmpty()) {
            ptr = list.pop();
            cachedBytes -= size;
        } else {
            try {
                ptr = raw.allocate(size);
            } catch (RuntimeException full) {
                long cached = cachedBytes;
                releaseCache();
                try {
                    ptr = raw.allocate(size);
                } catch (RuntimeException e) {
                    throw new DeviceFullException("cuda: cannot allocate " + bytes + " bytes of device memory (" + liveBytes
                            + " bytes held by live tensors, " + cached + " cached bytes already released): " + e.getMessage(), e);
                }
            }
        }
        liveBytes += bytes;
        return new Block<>(ptr, size, bytes);
    }

    /** Returns a block to the cache. */
    synchronized void release(Block<P> block) {
        if (block.ptr() == null) return;
        liveBytes -= block.requested();
        cachedBytes += block.bytes();
        free.computeIfAbsent(block.bytes(), k -> new ArrayDeque<>()).push(block.ptr());
    }

    /** Frees every cached block back to the driver. */
    synchronized void releaseCache() {
        for (ArrayDeque<P> list : free.values()) for (P p : list) raw.free(p);
        free.clear();
        cachedBytes = 0;
    }

    /** Bytes requested by the blocks handed out and not yet released (what live tensors hold, without rounding). */
    synchronized long liveBytes() { return liveBytes; }

    /** Bytes held in the free lists. */
    synchronized long cachedBytes() { return cachedBytes; }
}
