package io.github.knetj.api;

/**
 * An immutable n-dimensional array on one backend: a shape, a dtype and the backend holding it.
 * Device memory is released by {@link #close()}, by a {@link TensorScope}, or by a Cleaner as a
 * safety net; host tensors may simply be garbage-collected.
 */
public interface Tensor extends AutoCloseable {
    Shape shape();

    DType dtype();

    /** The backend whose memory holds this tensor; every op takes tensors of one backend. */
    Backend backend();

    default int rank() { return shape().rank(); }

    default long size() { return shape().size(); }

    /** A fresh host copy of the elements, row-major, widened to double. */
    default double[] toDoubleArray() { return backend().memory().toDoubleArray(this); }

    /** A fresh host copy of the elements, row-major, as float. */
    default float[] toFloatArray() { return backend().memory().toFloatArray(this); }

    /** The only element of a one-element tensor. */
    default double item() {
        if (size() != 1) throw new IllegalArgumentException("item: tensor of shape " + shape() + " has " + size() + " elements, expected exactly 1");
        return toDoubleArray()[0];
    }

    /** The same values on another backend (this tensor itself when it is already there). */
    default Tensor to(Backend target) {
        if (target == backend()) return this;
        return dtype() == DType.FLOAT32
                ? target.memory().fromArray(toFloatArray(), shape())
                : target.memory().fromArray(toDoubleArray(), shape(), dtype());
    }

    /** The same values in another dtype (this tensor itself when it already has it). */
    default Tensor to(DType type) { return type == dtype() ? this : backend().memory().cast(this, type); }

    /** Releases device memory now; a no-op for host tensors. Using a closed tensor is an error. */
    @Override default void close() {}
}
