package io.github.knetj.api;

import java.util.Arrays;

/**
 * The dimensions of a tensor, row-major, batch first (images are {@code NCHW}).
 * A shape is immutable; rank 0 is a scalar with one element.
 */
public final class Shape {
    private static final Shape SCALAR = new Shape(new int[0]);
    private final int[] dims;
    private final long size;

    private Shape(int[] dims) {
        long n = 1;
        boolean empty = false;
        for (int d : dims) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(dims));
            empty |= d == 0;
        }
        // 65536^4 = 2^64 wraps to 0 in a long, and larger products go negative: the product is checked so that no op
        // ever runs on a size that lies. A shape with a zero dimension is empty however large the others are.
        if (!empty) {
            try {
                for (int d : dims) n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has more than 2^63 - 1 elements");
            }
        } else {
            n = 0;
        }
        this.dims = dims;
        this.size = n;
    }

    /** A shape with these dimensions; {@code Shape.of()} is the scalar shape. */
    public static Shape of(int... dims) { return dims.length == 0 ? SCALAR : new Shape(dims.clone()); }

    /** The rank-0 shape of a scalar. */
    public static Shape scalar() { return SCALAR; }

    public int rank() { return dims.length; }

    /** Number of elements. */
    public long size() { return size; }

    /**
     * Number of elements as an int, for the host arrays that hold them, with a clear error when a Java array cannot hold
     * it or when even 4-byte elements would exceed the heap's maximum: such an allocation fails at once with its byte
     * count instead of running into an {@link OutOfMemoryError} (or a minute of garbage collection) first.
     */
    public int sizeInt() {
        if (size > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("shape " + this + " has " + size + " elements, more than a Java array holds");
        long max = Runtime.getRuntime().maxMemory();
        if (size * 4 > max)
            throw new IllegalArgumentException("shape " + this + " needs at least " + size * 4 + " bytes (" + size + " elements of 4 bytes),"
                    + " more than the Java heap's maximum of " + max + " bytes (raise it with -Xmx)");
        return (int) size;
    }

    /** The length of an axis; negative axes count from the end. */
    public int dim(int axis) { return dims[axis(axis)]; }

    /** A copy of the dimensions. */
    public int[] dims() { return dims.clone(); }

    /** Normalises an axis (negative counts from the end) or throws naming the shape. */
    public int axis(int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) throw new IllegalArgumentException("axis " + axis + " is out of range for shape " + this + " of rank " + dims.length);
        return a;
    }

    /** The number of elements before an axis: the product of the dimensions in front of it (1 for axis 0). */
    public int outer(int axis) {
        long n = 1;
        for (int a = 0, end = axis(axis); a < end; a++) n *= dims[a];
        return toInt(n, "outer(" + axis + ")");
    }

    /** The number of elements after an axis: the product of the dimensions behind it (1 for the last axis). */
    public int inner(int axis) {
        long n = 1;
        for (int a = axis(axis) + 1; a < dims.length; a++) n *= dims[a];
        return toInt(n, "inner(" + axis + ")");
    }

    /** Row-major strides in elements, or a clear error when an array index cannot reach them. */
    public int[] strides() {
        int[] s = new int[dims.length];
        long acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) { s[i] = toInt(acc, "strides()"); acc *= dims[i]; }
        return s;
    }

    /** The bytes a dense tensor of this shape takes with elements of {@code elementBytes}, or a clear error past 2^63. */
    public long bytes(int elementBytes) {
        try {
            return Math.multiplyExact(size, (long) elementBytes);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("shape " + this + " of " + elementBytes + "-byte elements needs more than 2^63 bytes");
        }
    }

    /** n (a product of dims, each under 2^31, so no more than 2^62 when it gets here) as an int, or an error naming it. */
    private int toInt(long n, String what) {
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("shape " + this + ": " + what + " is " + n + ", more than an int index reaches");
        return (int) n;
    }

    /** This shape with one axis resized. */
    public Shape with(int axis, int length) {
        int[] d = dims.clone();
        d[axis(axis)] = length;
        return new Shape(d);
    }

    @Override public boolean equals(Object o) { return o instanceof Shape s && Arrays.equals(dims, s.dims); }
    @Override public int hashCode() { return Arrays.hashCode(dims); }
    @Override public String toString() { return Arrays.toString(dims); }
}
