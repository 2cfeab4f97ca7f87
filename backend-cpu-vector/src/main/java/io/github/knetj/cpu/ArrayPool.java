package io.github.knetj.cpu;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.HostTensor;
import io.github.knetj.api.Shape;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The CPU backend's caching allocator: inside a {@link io.github.knetj.api.TensorScope} (a training step) new tensors
 * borrow arrays of their exact length from here, and the scope's close gives them back for the next step, as
 * PyTorch's caching allocator does. A char-LSTM step makes 1–2 GB of tensors; fresh arrays for all of them kept G1
 * collecting mid-step, copying the step's live activations and pausing for up to 0.3 s. Outside scopes, tensors are
 * plain arrays for the GC.
 * <p>
 * The pool keeps at most a quarter of the heap; arrays given back beyond that go to the GC. Lengths repeat from step
 * to step, so arrays are kept by exact length and reused last-in, first-out (the most recently used is the most
 * likely to be in cache).
 */
final class ArrayPool {
    private static final long CAPACITY_BYTES = Runtime.getRuntime().maxMemory() / 4;
    /** Below this many elements an array is cheaper to allocate than to track. */
    private static final int MIN_LENGTH = 1024;

    private final Map<Integer, ArrayDeque<Object>> floats = new HashMap<>(), doubles = new HashMap<>();
    private long bytes;

    /**
     * A tensor on a pooled array, owned by the innermost scope: zero when {@code clear}, else holding whatever its last
     * user left (for callers that write every element).
     */
    HostTensor lend(Backend backend, Shape shape, DType dtype, boolean clear) {
        int n = shape.sizeInt();
        boolean f32 = dtype == DType.FLOAT32;
        Object array = take(f32 ? floats : doubles, n);
        if (array == null) array = f32 ? new float[n] : new double[n];
        else if (clear && f32) Arrays.fill((float[]) array, 0f);
        else if (clear) Arrays.fill((double[]) array, 0.0);
        Object lent = array;
        return HostTensor.leased(backend, shape, array, new HostTensor.Lease() {
            @Override protected void giveBack() { give(f32 ? floats : doubles, lent, n, (long) n * (f32 ? 4 : 8)); }
        });
    }

    /** Whether tensors of n elements are worth pooling. */
    static boolean pools(long n) { return n >= MIN_LENGTH; }

    private synchronized Object take(Map<Integer, ArrayDeque<Object>> byLength, int n) {
        ArrayDeque<Object> free = byLength.get(n);
        Object a = free == null ? null : free.pollFirst();
        if (a != null) bytes -= (long) n * (a instanceof float[] ? 4 : 8);
        return a;
    }

    private synchronized void give(Map<Integer, ArrayDeque<Object>> byLength, Object array, int n, long size) {
        if (bytes + size > CAPACITY_BYTES) return;
        bytes += size;
        byLength.computeIfAbsent(n, k -> new ArrayDeque<>()).addFirst(array);
    }
}
