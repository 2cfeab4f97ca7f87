package io.github.knetj.cuda;

import io.github.knetj.api.DType;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * The device, its primary context, the one stream every kernel and copy is queued on, and the PTX modules.
 * Modules are read from the class path, their ISA header lowered for the driver (see {@link PtxHeader}), and loaded
 * with {@code cuModuleLoadDataEx} on first use. Nothing here waits for the device except {@link #synchronize()}.
 */
final class CudaContext {
    static final int THREADS = 256;
    private static final int MAX_BLOCKS = 1 << 16;

    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final int driverVersion;
    private final Map<Kernel.Module, CUmodule> modules = new EnumMap<>(Kernel.Module.class);
    /** Resolved entry points, indexed by kernel ordinal·2 + dtype ordinal (launches must not build strings). */
    private final CUfunction[] functions = new CUfunction[Kernel.values().length * 2];
    private final ThreadLocal<Boolean> current = ThreadLocal.withInitial(() -> false);

    CudaContext() {
        JCudaDriver.setExceptionsEnabled(true);
        JCudaDriver.cuInit(0);
        int[] v = new int[1];
        JCudaDriver.cuDriverGetVersion(v);
        driverVersion = v[0];
        CUdevice device = new CUdevice();
        JCudaDriver.cuDeviceGet(device, 0);
        JCudaDriver.cuDevicePrimaryCtxRetain(context, device);
        makeCurrent();
        JCudaDriver.cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING);
    }

    CUstream stream() { return stream; }

    int driverVersion() { return driverVersion; }

    /** Binds the context to the calling thread, once per thread: the driver API keeps the current context per thread. */
    void makeCurrent() {
        if (!current.get()) {
            JCudaDriver.cuCtxSetCurrent(context);
            current.set(true);
        }
    }

    /** Waits until everything queued so far has run. */
    void synchronize() {
        makeCurrent();
        JCudaDriver.cuStreamSynchronize(stream);
    }

    /** Blocks for a grid-stride loop over n elements. */
    static int blocks(long n) { return (int) Math.max(1, Math.min((n + THREADS - 1) / THREADS, MAX_BLOCKS)); }

    /** Queues a 1-D grid-stride kernel over n elements; nothing is queued when n is 0. */
    void launch(Kernel k, DType dtype, long n, Object... args) {
        if (n > 0) launchGrid(k, dtype, blocks(n), 1, 1, THREADS, args);
    }

    /**
     * Queues a kernel. Arguments: Integer, Long, Double, a CUdeviceptr, or an int[] standing for a struct of ints
     * passed by value (Strided, ConvGeom, PoolGeom); their order and types must match the kernel's signature.
     */
    void launchGrid(Kernel k, DType dtype, int gridX, int gridY, int gridZ, int block, Object... args) {
        makeCurrent();
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            params[i] = switch (args[i]) {
                case Integer v -> Pointer.to(new int[] {v});
                case Long v -> Pointer.to(new long[] {v});
                case Double v -> Pointer.to(new double[] {v});
                case int[] struct -> Pointer.to(struct);
                case CUdeviceptr p -> Pointer.to(p);
                default -> throw new IllegalArgumentException("cuda: kernel " + k.entry(dtype) + " argument " + i + " has unsupported type " + args[i].getClass());
            };
        }
        JCudaDriver.cuLaunchKernel(function(k, dtype), gridX, gridY, gridZ, block, 1, 1, 0, stream, Pointer.to(params), null);
    }

    private synchronized CUfunction function(Kernel k, DType dtype) {
        int slot = k.ordinal() * 2 + dtype.ordinal();
        CUfunction f = functions[slot];
        if (f == null) {
            f = new CUfunction();
            JCudaDriver.cuModuleGetFunction(f, module(k.module), k.entry(dtype));
            functions[slot] = f;
        }
        return f;
    }

    private CUmodule module(Kernel.Module m) {
        return modules.computeIfAbsent(m, key -> {
            String ptx = PtxHeader.forDriver(readPtx(key), driverVersion, key.file + ".ptx");
            byte[] bytes = ptx.getBytes(StandardCharsets.US_ASCII);
            byte[] terminated = java.util.Arrays.copyOf(bytes, bytes.length + 1);   // the driver reads a C string
            CUmodule module = new CUmodule();
            JCudaDriver.cuModuleLoadDataEx(module, Pointer.to(terminated), 0, new int[0], Pointer.to(new int[0]));
            return module;
        });
    }

    /** The PTX text of a module from the class path. */
    static String readPtx(Kernel.Module m) {
        try (InputStream in = CudaContext.class.getResourceAsStream(m.resource())) {
            if (in == null) throw new IllegalStateException("cuda: PTX resource " + m.resource() + " is missing from the jar; run scripts/build-ptx.sh");
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cuda: cannot read " + m.resource(), e);
        }
    }
}
