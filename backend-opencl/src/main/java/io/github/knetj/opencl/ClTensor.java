package io.github.knetj.opencl;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.TensorFormat;
import io.github.knetj.api.TensorScope;
import org.jocl.cl_mem;

import java.lang.ref.Cleaner;

/**
 * A tensor in an OpenCL buffer. It joins the innermost {@link TensorScope} when made; {@link #close()} (idempotent)
 * gives its buffer back to the pool, and a {@link Cleaner} does the same for tensors that become garbage unclosed.
 * Reshaped tensors share one buffer, counted in {@link BufferPool.Storage}.
 */
final class ClTensor implements Tensor {
    private static final Cleaner CLEANER = Cleaner.create();

    /** What the Cleaner runs: it must not reach the tensor, only its buffer. */
    private static final class Release implements Runnable {
        private final BufferPool pool;
        private final BufferPool.Storage storage;
        private volatile boolean done;

        Release(BufferPool pool, BufferPool.Storage storage) {
            this.pool = pool;
            this.storage = storage;
        }

        @Override public void run() {
            done = true;
            pool.release(storage);
        }
    }

    private final OpenClBackend backend;
    private final Shape shape;
    private final DType dtype;
    private final Release release;
    private final Cleaner.Cleanable cleanable;

    private ClTensor(OpenClBackend backend, Shape shape, DType dtype, BufferPool.Storage storage) {
        this.backend = backend;
        this.shape = shape;
        this.dtype = dtype;
        this.release = new Release(backend.pool(), storage);
        this.cleanable = CLEANER.register(this, release);
    }

    /** A new tensor with an uninitialised buffer, owned by the current scope. */
    static ClTensor allocate(OpenClBackend backend, Shape shape, DType dtype) {
        // A clear error for shapes beyond int indexing, which the kernels use (not Shape.sizeInt, which also checks
        // the Java heap: device memory is not the heap).
        if (shape.size() > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException("opencl: shape " + shape + " has " + shape.size() + " elements; the OpenCL kernels index at most 2^31 - 9");
        return TensorScope.register(new ClTensor(backend, shape, dtype, backend.pool().acquire(shape.size() * dtype.bytes())));
    }

    /** The same buffer seen with another shape of the same size; both tensors must be closed to free it. */
    ClTensor reshaped(Shape newShape) {
        BufferPool.Storage s = storage();
        backend.pool().retain(s);
        return TensorScope.register(new ClTensor(backend, newShape, dtype, s));
    }

    /** The device buffer; an error once closed. */
    cl_mem mem() { return storage().mem; }

    private BufferPool.Storage storage() {
        if (release.done)
            throw new IllegalStateException("OpenCL tensor " + shape + " " + dtype + " was closed; it cannot be used any more "
                    + "(keep it out of a closing TensorScope with scope.keep(tensor))");
        return release.storage;
    }

    /** Element count as an int, the index type of the kernels. */
    int n() { return (int) shape.size(); }

    /** Whether close() has run. */
    boolean isClosed() { return release.done; }

    @Override public Shape shape() { return shape; }

    @Override public DType dtype() { return dtype; }

    @Override public Backend backend() { return backend; }

    @Override public void close() { cleanable.clean(); }

    @Override public String toString() { return isClosed() ? "ClTensor" + shape + " " + dtype + " (closed)" : TensorFormat.format(this); }
}
