package io.github.knetj.cpu;

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
import io.github.knetj.cpu.fast.Parallel;
import io.github.knetj.cpu.fast.VectorKernels;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The default CPU backend: every kernel in float32 and float64 on {@link io.github.knetj.api.HostTensor}s, written with
 * jdk.incubator.vector and run on one shared thread pool. Threads come from {@code knetj.threads} /
 * {@code KNETJ_THREADS} (default: all processors) or {@link #setThreads}; SIMD is switched off by
 * {@code knetj.simd=false} / {@code KNETJ_SIMD=off}, by {@code new CpuBackend(false)}, or when the
 * jdk.incubator.vector module is not in the boot layer, in which case no Vector API class is ever loaded.
 */
public final class CpuBackend implements Backend {
    /** The name users select it by. */
    public static final String NAME = "cpu";
    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    private final String simdOff;
    private final Kernels kernels;
    private final CpuMemory memory = new CpuMemory(this);
    private final CpuLayout layout = new CpuLayout(this);
    private final CpuElementwise elementwise;
    private final CpuReductions reductions;
    private final CpuLinalg linalg;
    private final CpuConvolution convolution;
    private final CpuNN nn;
    private final Fused fused;

    /** SIMD on unless {@code knetj.simd} / {@code KNETJ_SIMD} says off or the Vector API module is missing. */
    public CpuBackend() { this(configuredSimdOff()); }

    /** SIMD on or off regardless of the configuration (on still needs the Vector API module): tests run both. */
    public CpuBackend(boolean simd) { this(simd ? null : "new CpuBackend(false)"); }

    private CpuBackend(String off) {
        if (off == null && !vectorModulePresent())
            off = "module " + VECTOR_MODULE + " is not in the boot layer; run java with --add-modules " + VECTOR_MODULE;
        this.simdOff = off;
        // VectorKernels is named only on this branch, so without SIMD no Vector API class is loaded.
        this.kernels = off == null ? VectorKernels.create() : new ScalarKernels();
        this.elementwise = new CpuElementwise(this, kernels);
        this.reductions = new CpuReductions(this, kernels);
        this.linalg = new CpuLinalg(this, kernels.gemm());
        this.convolution = new CpuConvolution(this, kernels);
        this.nn = new CpuNN(this, kernels);
        this.fused = new CpuFused(this, memory, layout, elementwise, reductions, convolution, nn, new CpuAttention(this, kernels), linalg);
    }

    /** Whether the Vector API module was resolved at start-up (it cannot be added later). */
    static boolean vectorModulePresent() { return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent(); }

    /** Why the configuration turns SIMD off ("knetj.simd=false"), or null when it leaves it on. */
    static String configuredSimdOff() {
        String p = System.getProperty("knetj.simd");
        if (p != null && isOff(p)) return "knetj.simd=" + p;
        String e = System.getenv("KNETJ_SIMD");
        if ((p == null || p.isBlank()) && e != null && isOff(e)) return "KNETJ_SIMD=" + e;
        return null;
    }

    private static boolean isOff(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "false", "off", "0", "no" -> true;
            default -> false;
        };
    }

    /** Sets the size of the shared pool every CPU backend runs on (the CLI's {@code --threads}). */
    public static void setThreads(int n) { Parallel.setThreads(n); }

    /** The size of the shared pool. */
    public static int threads() { return Parallel.threads(); }

    /** Whether this instance runs the SIMD kernels. */
    public boolean simd() { return simdOff == null; }

    @Override public String name() { return NAME; }

    @Override public String device() {
        int t = Parallel.threads();
        String threads = t + (t == 1 ? " thread" : " threads");
        return simdOff == null ? threads + ", SIMD " + VectorKernels.describe() : threads + ", SIMD off (" + simdOff + ")";
    }

    @Override public Set<DType> dtypes() { return EnumSet.allOf(DType.class); }

    @Override public Memory memory() { return memory; }

    @Override public Layout layout() { return layout; }

    @Override public Elementwise elementwise() { return elementwise; }

    @Override public Reductions reductions() { return reductions; }

    @Override public Linalg linalg() { return linalg; }

    @Override public Convolution convolution() { return convolution; }

    @Override public NN nn() { return nn; }

    @Override public Fused fused() { return fused; }

    /** The thread count: each task gets a thread of the team. */
    @Override public int concurrency() { return Parallel.threads(); }

    /** Tasks share out over the team as its coarse items do; a task's own kernels then run inline on its thread. */
    @Override public void runConcurrently(int n, java.util.function.IntConsumer task) {
        Parallel.forEach(n, (from, to) -> { for (int i = from; i < to; i++) task.accept(i); });
    }

    @Override public String toString() { return "CpuBackend(" + device() + ")"; }
}
