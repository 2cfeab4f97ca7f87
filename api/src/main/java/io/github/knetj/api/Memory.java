package io.github.knetj.api;

/**
 * Moving numbers between the host and a backend, and making constant tensors: six required primitives (the abstract
 * methods); the defaults are conveniences over them.
 */
public interface Memory {
    /** A float32 tensor holding a copy of {@code data} (row-major). */
    Tensor fromArray(float[] data, Shape shape);

    /** A tensor of {@code dtype} holding {@code data} (row-major), narrowed to float when dtype is float32. */
    Tensor fromArray(double[] data, Shape shape, DType dtype);

    /** A tensor with every element equal to {@code value}. */
    Tensor full(Shape shape, DType dtype, double value);

    default Tensor zeros(Shape shape, DType dtype) { return full(shape, dtype, 0); }

    default Tensor ones(Shape shape, DType dtype) { return full(shape, dtype, 1); }

    /** A rank-0 tensor. */
    default Tensor scalar(double value, DType dtype) { return full(Shape.scalar(), dtype, value); }

    double[] toDoubleArray(Tensor t);

    float[] toFloatArray(Tensor t);

    /** The values of {@code t} in another dtype. */
    Tensor cast(Tensor t, DType dtype);

    /** Bytes of device memory held by live tensors of this backend, or -1 where the garbage collector owns memory. */
    default long liveBytes() { return -1; }
}
