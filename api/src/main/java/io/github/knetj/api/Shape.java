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
        for (int d : dims) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(dims));
            n *= d;
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

    /** Number of elements as an int, with a clear error when a Java array cannot hold it. */
    public int sizeInt() {
        if (size > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("shape " + this + " has " + size + " elements, more than a Java array holds");
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
        int n = 1;
        for (int a = 0, end = axis(axis); a < end; a++) n *= dims[a];
        return n;
    }

    /** The number of elements after an axis: the product of the dimensions behind it (1 for the last axis). */
    public int inner(int axis) {
        int n = 1;
        for (int a = axis(axis) + 1; a < dims.length; a++) n *= dims[a];
        return n;
    }

    /** Row-major strides in elements. */
    public int[] strides() {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) { s[i] = acc; acc *= dims[i]; }
        return s;
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
