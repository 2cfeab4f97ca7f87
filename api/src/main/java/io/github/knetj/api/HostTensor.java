package io.github.knetj.api;

import java.util.Objects;

/**
 * A tensor held in a Java array, contiguous and row-major: the tensor of the CPU backends.
 * Exactly one of {@link #floats()} (float32) and {@link #doubles()} (float64) is non-null.
 * The arrays are shared, not copied: kernels must never write into an input's array.
 * <p>
 * Most host tensors are freed by the GC and {@link #close()} does nothing to them. A tensor made on a {@link Lease}
 * (a backend's array pool, inside a {@link TensorScope}) gives its array back when it and every reshaped view of it are
 * closed; using it after that is an error, as for a device tensor.
 */
public final class HostTensor implements Tensor {
    private final Backend backend;
    private final Shape shape;
    private final float[] floats;
    private final double[] doubles;
    private final Lease lease;
    private volatile boolean closed;

    /**
     * An array lent by a pool to the tensors that view it: {@link #giveBack} runs once, when the last of them closes.
     * Tensors owned by no scope are never closed, and their arrays go to the GC instead.
     */
    public abstract static class Lease {
        private int holders = 1;

        /** Returns the array to its pool. */
        protected abstract void giveBack();

        synchronized void retain() { holders++; }

        void release() {
            boolean last;
            synchronized (this) { last = --holders == 0; }
            if (last) giveBack();
        }
    }

    private HostTensor(Backend backend, Shape shape, float[] floats, double[] doubles, Lease lease) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.shape = shape;
        this.floats = floats;
        this.doubles = doubles;
        this.lease = lease;
        int n = floats != null ? floats.length : doubles.length;
        if (n != shape.size()) throw new IllegalArgumentException("HostTensor: " + n + " elements do not fill shape " + shape + " (" + shape.size() + " elements)");
    }

    private HostTensor(Backend backend, Shape shape, float[] floats, double[] doubles) { this(backend, shape, floats, doubles, null); }

    /** A float32 tensor that takes ownership of {@code data}. */
    public static HostTensor of(Backend backend, Shape shape, float[] data) { return new HostTensor(backend, shape, data, null); }

    /** A float64 tensor that takes ownership of {@code data}. */
    public static HostTensor of(Backend backend, Shape shape, double[] data) { return new HostTensor(backend, shape, null, data); }

    /** A tensor of the given dtype taking ownership of a new zeroed array. */
    public static HostTensor zeros(Backend backend, Shape shape, DType dtype) {
        int n = shape.sizeInt();
        return dtype == DType.FLOAT32 ? of(backend, shape, new float[n]) : of(backend, shape, new double[n]);
    }

    /**
     * A tensor on a pooled array, owned by the current {@link TensorScope}: the array (float[] or double[], of exactly
     * shape's size) goes back through {@code lease} once this tensor and its reshaped views are closed.
     */
    public static HostTensor leased(Backend backend, Shape shape, Object array, Lease lease) {
        Objects.requireNonNull(lease, "lease");
        HostTensor t = array instanceof float[] f ? new HostTensor(backend, shape, f, null, lease) : new HostTensor(backend, shape, null, (double[]) array, lease);
        return TensorScope.register(t);
    }

    /** The same array seen with another shape of the same size (reshape is free on the host); a view of a leased array holds it too. */
    public HostTensor reshaped(Shape newShape) {
        live();
        if (lease == null) return new HostTensor(backend, newShape, floats, doubles);
        lease.retain();
        return TensorScope.register(new HostTensor(backend, newShape, floats, doubles, lease));
    }

    /** The float32 storage (shared), or null for float64. */
    public float[] floats() {
        live();
        return floats;
    }

    /** The float64 storage (shared), or null for float32. */
    public double[] doubles() {
        live();
        return doubles;
    }

    /** Element i widened to double. */
    public double get(int i) {
        live();
        return floats != null ? floats[i] : doubles[i];
    }

    /** Gives a leased array back (once every view is closed too); a no-op for other host tensors. */
    @Override public void close() {
        if (lease == null || closed) return;
        closed = true;
        lease.release();
    }

    private void live() {
        if (closed)
            throw new IllegalStateException("host tensor " + shape + " " + dtype() + " was closed with its TensorScope; it cannot be used any more "
                    + "(keep it out of a closing scope with scope.keep(tensor))");
    }

    @Override public Shape shape() { return shape; }
    @Override public DType dtype() { return floats != null ? DType.FLOAT32 : DType.FLOAT64; }
    @Override public Backend backend() { return backend; }

    @Override public double[] toDoubleArray() {
        live();
        if (doubles != null) return doubles.clone();
        double[] d = new double[floats.length];
        for (int i = 0; i < d.length; i++) d[i] = floats[i];
        return d;
    }

    @Override public float[] toFloatArray() {
        live();
        if (floats != null) return floats.clone();
        float[] f = new float[doubles.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) doubles[i];
        return f;
    }

    @Override public String toString() { return closed ? "HostTensor" + shape + " " + dtype() + " (closed)" : TensorFormat.format(this); }
}
