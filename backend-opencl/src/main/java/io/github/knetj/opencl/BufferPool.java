package io.github.knetj.opencl;

import org.jocl.CLException;
import org.jocl.cl_context;
import org.jocl.cl_mem;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

import static org.jocl.CL.*;

/**
 * The device allocator: buffers are rounded up to size buckets and, when released, kept on a free list per bucket
 * for the next request of that size, so a training loop stops calling clCreateBuffer after its first steps.
 * {@link Storage} counts the tensors sharing a buffer (reshape shares); the last release returns it to the pool.
 * Thread-safe: the Cleaner releases from its own thread.
 */
final class BufferPool {
    /** The smallest bucket; a zero-element tensor still owns one (OpenCL has no empty buffers). */
    private static final long MIN_BUCKET = 256;

    /** A device buffer, its bucket size, the bytes asked for, and how many tensors hold it. */
    static final class Storage {
        final cl_mem mem;
        final long bytes;
        final long requested;
        private int refs = 1;

        private Storage(cl_mem mem, long bytes, long requested) {
            this.mem = mem;
            this.bytes = bytes;
            this.requested = requested;
        }
    }

    private final cl_context context;
    private final long softLimit;
    private final Map<Long, ArrayDeque<cl_mem>> free = new HashMap<>();
    private long liveBytes, liveBucketBytes, pooledBytes, created;

    /** {@code softLimit}: above this many reserved bytes, the pool asks the GC to run Cleaners before growing. */
    BufferPool(cl_context context, long softLimit) {
        this.context = context;
        this.softLimit = softLimit;
    }

    /** Powers of two up to 1 MiB, then multiples of a quarter of the power of two below (at most 25% slack). */
    static long bucket(long bytes) {
        long b = Math.max(bytes, MIN_BUCKET);
        long p = Long.highestOneBit(b);
        if (p == b) return b;
        if (b <= 1L << 20) return p << 1;
        long step = p >> 2;
        return (b + step - 1) / step * step;
    }

    /** A buffer of at least {@code bytes}, held once. */
    Storage acquire(long bytes) {
        long size = bucket(bytes);
        Storage s = fromFreeList(size, bytes);
        if (s != null) return s;
        if (reservedBytes() + size > softLimit) {
            // Tensors nobody closed may be garbage already: let their Cleaners return buffers before growing.
            trim();
            System.gc();
            sleepBriefly();
            s = fromFreeList(size, bytes);
            if (s != null) return s;
        }
        try {
            return create(size, bytes);
        } catch (CLException e) {
            trim();
            System.gc();
            sleepBriefly();
            s = fromFreeList(size, bytes);
            return s != null ? s : create(size, bytes);
        }
    }

    /** One more tensor shares {@code s}. */
    synchronized void retain(Storage s) {
        if (s.refs <= 0) throw new IllegalStateException("OpenCL buffer reused after its release");
        s.refs++;
    }

    /** One tensor lets go of {@code s}; the last one returns it to its free list. */
    synchronized void release(Storage s) {
        if (--s.refs > 0) return;
        liveBytes -= s.requested;
        liveBucketBytes -= s.bytes;
        pooledBytes += s.bytes;
        free.computeIfAbsent(s.bytes, k -> new ArrayDeque<>()).push(s.mem);
    }

    /** Bytes of live tensors (their element bytes; shared buffers once) and of temporaries of ops in flight. */
    synchronized long liveBytes() { return liveBytes; }

    /** Bytes waiting on free lists. */
    synchronized long pooledBytes() { return pooledBytes; }

    /** Every byte this pool holds from the device: live buffers (whole buckets) plus pooled ones. */
    synchronized long reservedBytes() { return liveBucketBytes + pooledBytes; }

    /** Number of clCreateBuffer calls so far (flat once a workload is in its steady state). */
    synchronized long buffersCreated() { return created; }

    /** Gives every pooled buffer back to the device. */
    synchronized void trim() {
        for (ArrayDeque<cl_mem> list : free.values()) for (cl_mem m : list) clReleaseMemObject(m);
        free.clear();
        pooledBytes = 0;
    }

    private synchronized Storage fromFreeList(long size, long requested) {
        ArrayDeque<cl_mem> list = free.get(size);
        if (list == null || list.isEmpty()) return null;
        pooledBytes -= size;
        return live(new Storage(list.pop(), size, requested));
    }

    private synchronized Storage create(long size, long requested) {
        cl_mem m = clCreateBuffer(context, CL_MEM_READ_WRITE, size, null, null);
        created++;
        return live(new Storage(m, size, requested));
    }

    private Storage live(Storage s) {
        liveBytes += s.requested;
        liveBucketBytes += s.bytes;
        return s;
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
