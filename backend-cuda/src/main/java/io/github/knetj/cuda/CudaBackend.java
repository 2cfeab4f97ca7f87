package io.github.knetj.cuda;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Checks;
import io.github.knetj.api.Convolution;
import io.github.knetj.api.DType;
import io.github.knetj.api.Elementwise;
import io.github.knetj.api.Fused;
import io.github.knetj.api.Layout;
import io.github.knetj.api.Linalg;
import io.github.knetj.api.Memory;
import io.github.knetj.api.NN;
import io.github.knetj.api.Reductions;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

import java.util.EnumSet;
import java.util.Set;

/**
 * The CUDA backend: PTX kernels launched through JCuda's driver API on one stream of device 0, float32 and float64.
 * This class owns the shared machinery (context, allocator, staging) and hands each op group its kernels; random
 * numbers keep the host default of {@link Backend#random()}, identical on every backend.
 */
public final class CudaBackend implements Backend {
    private final String device;
    private final CudaContext cuda;
    private final DeviceAllocator<CUdeviceptr> allocator;
    private final Staging staging;
    private final CudaMemory memory;
    private final CudaLayout layout;
    private final CudaElementwise elementwise;
    private final CudaReductions reductions;
    private final CudaLinalg linalg;
    private final CudaConvolution convolution;
    private final CudaNN nn;
    private final Fused fused;

    CudaBackend(String device) {
        this.device = device;
        this.cuda = new CudaContext();
        this.allocator = new DeviceAllocator<>(new DeviceAllocator.Raw<>() {
            @Override public CUdeviceptr allocate(long bytes) {
                cuda.makeCurrent();
                CUdeviceptr p = new CUdeviceptr();
                JCudaDriver.cuMemAlloc(p, bytes);
                return p;
            }

            @Override public void free(CUdeviceptr ptr) {
                cuda.makeCurrent();
                JCudaDriver.cuMemFree(ptr);
            }
        });
        this.staging = new Staging(cuda);
        this.memory = new CudaMemory(this);
        this.layout = new CudaLayout(this);
        this.elementwise = new CudaElementwise(this);
        this.reductions = new CudaReductions(this);
        this.linalg = new CudaLinalg(this);
        this.convolution = new CudaConvolution(this);
        this.nn = new CudaNN(this);
        this.fused = new CudaFused(this, layout, elementwise, reductions, convolution, nn);
    }

    @Override public String name() { return "cuda"; }
    @Override public String device() { return device; }
    @Override public Set<DType> dtypes() { return EnumSet.of(DType.FLOAT32, DType.FLOAT64); }
    @Override public Memory memory() { return memory; }
    @Override public Layout layout() { return layout; }
    @Override public Elementwise elementwise() { return elementwise; }
    @Override public Reductions reductions() { return reductions; }
    @Override public Linalg linalg() { return linalg; }
    @Override public Convolution convolution() { return convolution; }
    @Override public NN nn() { return nn; }

    @Override public Fused fused() { return fused; }

    CudaContext cuda() { return cuda; }

    DeviceAllocator<CUdeviceptr> allocator() { return allocator; }

    Staging staging() { return staging; }

    CudaLinalg gemm() { return linalg; }

    /** A new uninitialised tensor; kernels index with int, so a tensor holds fewer than 2^31 elements. */
    CudaTensor empty(Shape shape, DType dtype) {
        if (shape.size() > Integer.MAX_VALUE)
            throw new IllegalArgumentException("cuda: shape " + shape + " has " + shape.size() + " elements; the CUDA kernels index at most 2^31 - 1");
        return new CudaTensor(this, shape, dtype, allocator.allocate(shape.size() * dtype.bytes()));
    }

    /** Checks that every tensor is a live tensor of this backend with one dtype, and returns that dtype. */
    DType check(String op, Tensor... xs) {
        DType d = Checks.sameBackendAndDtype(op, this, xs);
        for (Tensor x : xs) if (((CudaTensor) x).isClosed())
            throw new IllegalStateException("cuda " + op + ": tensor " + x.shape() + " " + x.dtype() + " was closed and cannot be used");
        return d;
    }

    /** The device tensor behind a checked argument. */
    static CudaTensor dev(Tensor t) { return (CudaTensor) t; }

    /** Integers (indices, labels) copied to a temporary device block; release it after queueing the kernel that reads it. */
    DeviceAllocator.Block<CUdeviceptr> uploadInts(int[] values) {
        DeviceAllocator.Block<CUdeviceptr> b = allocator.allocate(values.length * 4L);
        if (values.length > 0) staging.upload(b.ptr(), values);
        return b;
    }

    @Override public String toString() { return "cuda backend (" + device + ")"; }
}
