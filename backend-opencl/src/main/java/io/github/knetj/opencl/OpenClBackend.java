package io.github.knetj.opencl;

import io.github.knetj.api.Backend;
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

import java.util.EnumSet;
import java.util.Set;

/**
 * The OpenCL backend: one context and queue on one device, a pooled allocator, and every SPI kernel in OpenCL C
 * for float32 and, where the device has {@code cl_khr_fp64}, float64. Matrix products and convolutions use the
 * kernel family that suits the device: local-memory tiles on GPUs, wide-vector register tiles on CPUs.
 */
public final class OpenClBackend implements Backend {
    /** The name users select it by. */
    public static final String NAME = "opencl";

    /** Which matrix-product kernel family runs (chosen by device type; tests force each one). */
    enum Family { GPU_TILED, CPU_VECTOR }

    private final ClContext cl;
    private final BufferPool pool;
    private final Family family;
    private final ClMemory memory;
    private final ClLayout layout;
    private final ClElementwise elementwise;
    private final ClReductions reductions;
    private final ClLinalg linalg;
    private final ClConvolution convolution;
    private final ClNN nn;
    private final Fused fused;

    OpenClBackend(OpenClDevices.Device device) { this(device, device.isGpu() ? Family.GPU_TILED : Family.CPU_VECTOR); }

    OpenClBackend(OpenClDevices.Device device, Family family) {
        this.cl = new ClContext(device, family == Family.CPU_VECTOR ? ClElementwise.CPU_CHUNK : 1);
        // Half of the device's memory before the pool asks the GC for unclosed tensors (on PoCL this is host RAM).
        this.pool = new BufferPool(cl.context, device.globalMemBytes() / 2);
        this.family = family;
        this.memory = new ClMemory(this);
        this.layout = new ClLayout(this);
        this.elementwise = new ClElementwise(this);
        this.reductions = new ClReductions(this);
        this.linalg = new ClLinalg(this);
        this.convolution = new ClConvolution(this);
        this.nn = new ClNN(this);
        this.fused = new ClFused(this, layout, elementwise, reductions, convolution, nn);
    }

    @Override public String name() { return NAME; }

    @Override public String device() {
        OpenClDevices.Device d = cl.device;
        return d.name() + " (" + d.platformName() + ", " + d.typeName() + ", " + d.computeUnits() + " compute units, "
                + (d.fp64() ? "fp64" : "no fp64") + ", " + (family == Family.GPU_TILED ? "tiled" : "vector") + " kernels)";
    }

    @Override public Set<DType> dtypes() { return cl.device.fp64() ? EnumSet.allOf(DType.class) : EnumSet.of(DType.FLOAT32); }

    @Override public ClMemory memory() { return memory; }

    @Override public Layout layout() { return layout; }

    @Override public Elementwise elementwise() { return elementwise; }

    @Override public Reductions reductions() { return reductions; }

    @Override public Linalg linalg() { return linalg; }

    @Override public Convolution convolution() { return convolution; }

    @Override public NN nn() { return nn; }

    @Override public Fused fused() { return fused; }

    ClContext cl() { return cl; }

    BufferPool pool() { return pool; }

    Family family() { return family; }

    ClLinalg gemm() { return linalg; }

    ClLayout layoutKernels() { return layout; }

    /** A fresh, uninitialised tensor of this backend in the current scope. */
    ClTensor allocate(Shape shape, DType dtype) { return ClTensor.allocate(this, shape, dtype); }

    @Override public String toString() { return "OpenClBackend[" + device() + "]"; }
}
