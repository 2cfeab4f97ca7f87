package io.github.knetj.api;

import java.util.Objects;

/**
 * A tensor held in a Java array, contiguous and row-major: the tensor of the CPU backends.
 * Exactly one of {@link #floats()} (float32) and {@link #doubles()} (float64) is non-null.
 * The arrays are shared, not copied: kernels must never write into an input's array.
 */
public final class HostTensor implements Tensor {
    private final Backend backend;
    private final Shape shape;
    private final float[] floats;
    private final double[] doubles;

    private HostTensor(Backend backend, Shape shape, float[] floats, double[] doubles) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.shape = shape;
        this.floats = floats;
        this.doubles = doubles;
        int n = floats != null ? floats.length : doubles.length;
        if (n != shape.size()) throw new IllegalArgumentException("HostTensor: " + n + " elements do not fill shape " + shape + " (" + shape.size() + " elements)");
    }

    /** A float32 tensor that takes ownership of {@code data}. */
    public static HostTensor of(Backend backend, Shape shape, float[] data) { return new HostTensor(backend, shape, data, null); }

    /** A float64 tensor that takes ownership of {@code data}. */
    public static HostTensor of(Backend backend, Shape shape, double[] data) { return new HostTensor(backend, shape, null, data); }

    /** A tensor of the given dtype taking ownership of a new zeroed array. */
    public static HostTensor zeros(Backend backend, Shape shape, DType dtype) {
        int n = shape.sizeInt();
        return dtype == DType.FLOAT32 ? of(backend, shape, new float[n]) : of(backend, shape, new double[n]);
    }

    /** The same array seen with another shape of the same size (reshape is free on the host). */
    public HostTensor reshaped(Shape newShape) { return new HostTensor(backend, newShape, floats, doubles); }

    /** The float32 storage (shared), or null for float64. */
    public float[] floats() { return floats; }

    /** The float64 storage (shared), or null for float32. */
    public double[] doubles() { return doubles; }

    /** Element i widened to double. */
    public double get(int i) { return floats != null ? floats[i] : doubles[i]; }

    @Override public Shape shape() { return shape; }
    @Override public DType dtype() { return floats != null ? DType.FLOAT32 : DType.FLOAT64; }
    @Override public Backend backend() { return backend; }

    @Override public double[] toDoubleArray() {
        if (doubles != null) return doubles.clone();
        double[] d = new double[floats.length];
        for (int i = 0; i < d.length; i++) d[i] = floats[i];
        return d;
    }

    @Override public float[] toFloatArray() {
        if (floats != null) return floats.clone();
        float[] f = new float[doubles.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) doubles[i];
        return f;
    }

    @Override public String toString() { return TensorFormat.format(this); }
}
