package io.github.knetj.cpu.fast;

import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.UnaryOp;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Runs the element-wise loops every model uses (ReLU, exp, the arithmetic, sums, softmax and their gradients) on small
 * private arrays on a thread of its own, once per JVM, so that C2 compiles them while a program is still loading its
 * data. Vector API code runs 10–100× slower until C2 compiles it (in the interpreter and in C1's code each vector
 * operation is a call that allocates its result), and C2 compiles a loop only after some hundreds of calls: an MLP's
 * first hundred steps took 0.5–0.7 s against 0.05 s later, about a third of it in these loops' slow forms.
 *
 * <p>Each loop runs {@link #CALLS} times, past C2's thresholds (200 calls to C1's profiling code, then 600 calls and
 * 15,000 calls plus iterations there), over {@link #VECTORS} vectors and a scalar tail: C2 sizes a loop's unrolling by
 * the trip counts it has seen, and a loop warmed on two steps stayed slow (see {@link PackedSgemm}'s epilogue
 * profiling, which for that reason skips the loops). This takes 0.3–0.4 s of the other core. Results do not depend on
 * the JIT tier (the loops' own rule), so this changes when the compiled code arrives and no number anywhere.
 *
 * <p>Then a dense layer's three products ({@link #products}: the forward one with its bias, the input's and the weight's
 * gradients), {@link #PRODUCT_CALLS} times each on a 20-row block with a full and an edge panel, serially: the micro-kernel,
 * the panel packing and the epilogues they run are the ones every model's products run, and C2 reached them only in
 * the MLP's second hundred steps. This adds about 0.2 s of the other core; the MLP's first step took 61 ms instead of
 * 113, its first epoch 0.78–0.89 s instead of 0.93–0.98, LeNet's 8.3–8.6 s instead of 8.7–9.4. Their loops run 20 to
 * 96 steps a call, not a handful, since C2 sizes a loop's unrolling by the trip counts it has seen (above); the
 * char-LSTM's and the GPT's speeds and the MLP's later epochs were level with and without them.
 *
 * <p>Not warmed: Adam's and max pooling's loops, which took 0.5 s more between them and made a program that does not
 * use them (the MLP, with SGD) end later. {@code -Dknetj.cpu.warmUp=false} turns it all off, for comparisons.
 */
final class KernelWarmUp {
    static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("knetj.cpu.warmUp", "true").trim());
    private static final int CALLS = 700, VECTORS = 8, PRODUCT_CALLS = 300;
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private KernelWarmUp() {}

    /** Starts the warm-up thread, the first time only; none on one processor, where it would take the program's core. */
    static void start() {
        if (!ENABLED || Runtime.getRuntime().availableProcessors() < 2 || !STARTED.compareAndSet(false, true)) return;
        Thread t = new Thread(KernelWarmUp::run, "knetj-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** Whether {@link #start} has started the thread in this JVM. */
    static boolean started() { return STARTED.get(); }

    static void run() {
        List<Runnable> loops = loops(VECTORS * FloatLoops.S.length() + 3);
        for (int call = 0; call < CALLS; call++) for (Runnable loop : loops) loop.run();
        List<BooleanSupplier> products = products();
        for (int call = 0; call < PRODUCT_CALLS; call++) for (BooleanSupplier product : products) product.getAsBoolean();
    }

    /**
     * A dense layer's products on a 20-row batch, 96 inputs and NR + 8 outputs (one full panel and an edge): y = x·wᵀ + b,
     * dx = g·w and dw = gᵀ·x, as {@code Ops.linear} and its rule ask for them. Each says whether the packed product
     * took it (it declines products it leaves to other kernels), so that a test can check that these are the ones
     * warmed.
     */
    static List<BooleanSupplier> products() {
        int m = 20, n = PackedSgemm.NR + 8, k = 96;
        float[] x = ramp(m * k, -0.5f), w = ramp(n * k, 0.25f), b = ramp(n, 0.1f), g = ramp(m * n, -0.2f);
        float[] y = new float[m * n], dx = new float[m * k], dw = new float[n * k];
        return List.of(
                () -> PackedSgemm.gemmInto(false, true, m, n, k, x, 0, k, w, 0, k, y, 0, n, b, false),
                () -> PackedSgemm.gemmInto(false, false, m, k, n, g, 0, n, w, 0, k, dx, 0, k, false),
                () -> PackedSgemm.gemmInto(true, false, n, k, m, g, 0, n, x, 0, k, dw, 0, k, false));
    }

    /** Each loop on n floats: both signs (as activations and gradients have), so that every branch real data takes runs. */
    static List<Runnable> loops(int n) {
        float[] x = ramp(n, -0.5f), y = ramp(n, 0.25f), z = new float[n];
        return List.of(
                () -> FloatLoops.unary(UnaryOp.RELU, 0, x, 0, z, 0, n),
                () -> FloatLoops.unary(UnaryOp.EXP, 0, x, 0, z, 0, n),
                () -> FloatLoops.binary(BinaryOp.ADD, x, 0, 1, y, 0, 1, z, 0, n),
                () -> FloatLoops.binary(BinaryOp.MUL, x, 0, 1, y, 0, 0, z, 0, n),
                () -> FloatLoops.binary(BinaryOp.SUB, x, 0, 0, y, 0, 1, z, 0, n),
                () -> FloatLoops.affine(x, 0, z, 0, n, 0.5, 1),
                () -> FloatLoops.sum(x, 0, n),
                () -> FloatLoops.max(x, 0, n),
                () -> FloatLoops.expSum(x, 0, z, 0, n, 1),
                () -> FloatLoops.addTo(z, 0, x, 0, n),
                () -> FloatLoops.maxTo(z, 0, x, 0, n),
                () -> GradientLoops.reluBackward(x, y, z, 0, n),
                () -> GradientLoops.softmaxBackward(y, 0, x, 0, z, 0, n));
    }

    /** n values from {@code start}, a hundredth apart. */
    private static float[] ramp(int n, float start) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = start + 0.01f * i;
        return a;
    }
}
