package io.github.knetj.cuda;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.TensorFormat;
import io.github.knetj.api.TensorScope;
import jcuda.driver.CUdeviceptr;

import java.lang.ref.Cleaner;

/**
 * A tensor in device memory: a block of the caching allocator, contiguous and row-major. It is released by
 * {@link #close()} (idempotent), by the {@link TensorScope} it was created in, or by a {@link Cleaner} once it is
 * unreachable, whichever comes first; all three return the block to the allocator exactly once.
 */
final class CudaTensor implements Tensor {
    private static final Cleaner CLEANER = Cleaner.create();

    private final CudaBackend backend;
    private final Shape shape;
    private final DType dtype;
    private final DeviceAllocator.Block<CUdeviceptr> block;
    private final Cleaner.Cleanable cleanable;
    private volatile boolean closed;

    /** The cleaning action holds the block and the allocator, never the tensor (else it would never become unreachable). */
    private record Release(DeviceAllocator<CUdeviceptr> allocator, DeviceAllocator.Block<CUdeviceptr> block) implements Runnable {
        @Override public void run() { allocator.release(block); }
    }

    CudaTensor(CudaBackend backend, Shape shape, DType dtype, DeviceAllocator.Block<CUdeviceptr> block) {
        this.backend = backend;
        this.shape = shape;
        this.dtype = dtype;
        this.block = block;
        this.cleanable = CLEANER.register(this, new Release(backend.allocator(), block));
        TensorScope.register(this);
    }

    /** The device address (NULL for an empty tensor, which no kernel reads); an error once the tensor is closed. */
    CUdeviceptr ptr() {
        if (closed) throw new IllegalStateException("cuda: tensor " + shape + " " + dtype + " was closed and cannot be used");
        return block.ptr() == null ? new CUdeviceptr() : block.ptr();
    }

    /** Bytes of the elements (not of the rounded block). */
    long bytes() { return shape.size() * dtype.bytes(); }

    /** Number of elements as an int, the index type of every kernel. */
    int n() { return (int) shape.size(); }

    boolean isClosed() { return closed; }

    @Override public Shape shape() { return shape; }
    @Override public DType dtype() { return dtype; }
    @Override public Backend backend() { return backend; }

    @Override public void close() {
        closed = true;
        cleanable.clean();
    }

    @Override public String toString() { return closed ? "CudaTensor(closed " + shape + " " + dtype + ")" : TensorFormat.format(this); }
}
