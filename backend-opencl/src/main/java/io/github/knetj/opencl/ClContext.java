package io.github.knetj.opencl;

import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.DType;
import io.github.knetj.api.UnaryOp;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import static org.jocl.CL.*;

/**
 * One OpenCL context and in-order queue on the chosen device, with its programs: each kernel file (one per concern)
 * is compiled once per dtype on first use and cached with its kernels. {@link #launch} sets arguments and queues a
 * kernel without waiting; reads block, and the in-order queue makes them wait for every kernel before them.
 */
final class ClContext {
    /** Work-items per group that 1-D launches are rounded up to (kernels check {@code i < n}). */
    private static final int ROUND = 64;

    final OpenClDevices.Device device;
    final cl_context context;
    final cl_command_queue queue;
    private final Map<String, cl_program> programs = new HashMap<>();
    private final Map<String, cl_kernel> kernels = new HashMap<>();

    /** Elements per work-item of the element-wise kernels (compiled in as CHUNK). */
    final int chunk;

    /**
     * {@code chunk}: elements per work-item of the element-wise kernels. A CPU device runs a work-item's loop as one
     * vectorized loop; a GPU wants one element per work-item, so that neighbouring work-items read neighbouring floats.
     */
    @SuppressWarnings("deprecation")   // clCreateCommandQueue: OpenCL 1.2 devices lack the 2.0 replacement
    ClContext(OpenClDevices.Device device, int chunk) {
        this.device = device;
        this.chunk = chunk;
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, device.platform());
        this.context = clCreateContext(props, 1, new cl_device_id[] {device.id()}, null, null, null);
        this.queue = clCreateCommandQueue(context, device.id(), 0, null);
    }

    /**
     * Queues {@code kernel} of {@code file} compiled for {@code dtype}. Arguments: {@link cl_mem}, {@link ClTensor}
     * (its buffer), Integer (int), Double (a real: float or double as dtype says), int[] (an int8 vector, padded).
     * {@code local} may be null to let the driver choose.
     */
    synchronized void launch(DType dtype, String file, String kernel, long[] global, long[] local, Object... args) {
        for (long g : global) if (g == 0) return;
        cl_kernel k = kernel(dtype, file, kernel);
        for (int i = 0; i < args.length; i++) setArg(k, i, dtype, args[i]);
        try {
            clEnqueueNDRangeKernel(queue, k, global.length, null, global, local, 0, null, null);
        } catch (CLException e) {
            throw new IllegalStateException("OpenCL kernel " + kernel + " (" + file + ", " + dtype + ") failed to launch on "
                    + device.name() + ": " + e.getMessage(), e);
        }
        // Tensors among the arguments must stay reachable (their Cleaner must not run) until the kernel is queued.
        Reference.reachabilityFence(args);
    }

    /** A 1-D launch over n elements, rounded up to a multiple of 64 work-items. */
    void launch1(DType dtype, String file, String kernel, long n, Object... args) {
        launch(dtype, file, kernel, new long[] {(n + ROUND - 1) / ROUND * ROUND}, null, args);
    }

    /** Blocking copy of {@code bytes} from the host into a buffer. */
    void write(cl_mem mem, Pointer host, long bytes) {
        if (bytes > 0) clEnqueueWriteBuffer(queue, mem, CL_TRUE, 0, bytes, host, 0, null, null);
    }

    /**
     * A read-only buffer holding a copy of {@code values} (labels, indices), made with CL_MEM_COPY_HOST_PTR: the copy
     * happens at creation, outside the queue, so it does not wait for the kernels queued before it.
     * {@link #free} it after queuing its last use; OpenCL keeps it alive until those kernels are done.
     */
    cl_mem ints(int[] values) {
        return clCreateBuffer(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, (long) Math.max(1, values.length) * Sizeof.cl_int,
                Pointer.to(values.length == 0 ? new int[1] : values), null);
    }

    /** Releases a buffer made by {@link #ints}. */
    void free(cl_mem mem) { clReleaseMemObject(mem); }

    /** Blocking copy of {@code bytes} from a buffer to the host: waits for every kernel queued before it. */
    void read(cl_mem mem, Pointer host, long bytes) {
        if (bytes > 0) clEnqueueReadBuffer(queue, mem, CL_TRUE, 0, bytes, host, 0, null, null);
    }

    /** Queues a device-side copy. */
    void copy(cl_mem from, cl_mem to, long bytes) {
        if (bytes > 0) clEnqueueCopyBuffer(queue, from, to, 0, 0, bytes, 0, null, null);
    }

    /** Waits for the queue to drain (used by benchmarks and tests only; ops never wait). */
    void finish() { clFinish(queue); }

    private void setArg(cl_kernel k, int i, DType dtype, Object a) {
        switch (a) {
            case cl_mem m -> clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(m));
            case ClTensor t -> clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(t.mem()));
            case Integer v -> clSetKernelArg(k, i, Sizeof.cl_int, Pointer.to(new int[] {v}));
            case Double v -> {
                if (dtype == DType.FLOAT64) clSetKernelArg(k, i, Sizeof.cl_double, Pointer.to(new double[] {v}));
                else clSetKernelArg(k, i, Sizeof.cl_float, Pointer.to(new float[] {v.floatValue()}));
            }
            case int[] v when v.length == 8 -> clSetKernelArg(k, i, Sizeof.cl_int * 8L, Pointer.to(v));
            default -> throw new IllegalArgumentException("kernel argument " + i + " has unsupported type " + a.getClass().getName());
        }
    }

    private cl_kernel kernel(DType dtype, String file, String name) {
        String key = file + "/" + dtype + "/" + name;
        cl_kernel k = kernels.get(key);
        if (k == null) {
            k = clCreateKernel(program(dtype, file), name, null);
            kernels.put(key, k);
        }
        return k;
    }

    private cl_program program(DType dtype, String file) {
        String key = file + "/" + dtype;
        cl_program p = programs.get(key);
        if (p != null) return p;
        if (dtype == DType.FLOAT64 && !device.fp64())
            throw new UnsupportedOperationException("unsupported dtype float64 on OpenCL device " + device.name() + " (it lacks cl_khr_fp64)");
        String source = resource("prelude.cl") + "\n" + resource(file);
        p = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        try {
            clBuildProgram(p, 1, new cl_device_id[] {device.id()}, options(dtype), null, null);
        } catch (CLException e) {
            throw new IllegalStateException("OpenCL: " + file + " (" + dtype + ") does not compile on " + device.name() + ": " + buildLog(p), e);
        }
        programs.put(key, p);
        return p;
    }

    /** -D definitions: the element type, fp64, the CPU kernels' tile rows and chunk, and the op codes taken from the Java enums. */
    private String options(DType dtype) {
        StringBuilder sb = new StringBuilder();
        if (dtype == DType.FLOAT64) sb.append("-D REAL_DOUBLE ");
        if (device.fp64()) sb.append("-D KNETJ_FP64 ");
        sb.append("-D ROWS=").append(ClLinalg.ROWS).append(" -D CHUNK=").append(chunk).append(' ');
        for (UnaryOp op : UnaryOp.values()) sb.append("-D U_").append(op.name()).append('=').append(op.ordinal()).append(' ');
        for (BinaryOp op : BinaryOp.values()) sb.append("-D B_").append(op.name()).append('=').append(op.ordinal()).append(' ');
        sb.append(String.format(Locale.ROOT, "-D SELU_SCALE=%.17g -D SELU_ALPHA=%.17g", UnaryOp.SELU_SCALE, UnaryOp.SELU_ALPHA));
        return sb.toString();
    }

    private String buildLog(cl_program p) {
        long[] size = new long[1];
        clGetProgramBuildInfo(p, device.id(), CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] b = new byte[(int) size[0]];
        clGetProgramBuildInfo(p, device.id(), CL_PROGRAM_BUILD_LOG, b.length, Pointer.to(b), null);
        return new String(b, StandardCharsets.UTF_8).trim();
    }

    private static String resource(String file) {
        try (InputStream in = ClContext.class.getResourceAsStream("kernels/" + file)) {
            if (in == null) throw new IllegalStateException("OpenCL kernel source kernels/" + file + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
