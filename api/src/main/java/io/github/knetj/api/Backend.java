package io.github.knetj.api;

import java.util.Set;

/**
 * A hardware backend: its name and device, its required primitives grouped by concern, and optional fused kernels.
 * Every kernel takes and returns tensors of this backend; mixing backends or dtypes is an error that names the op,
 * shapes and dtypes.
 * <p>
 * <b>The required primitives</b>, 23 kernels and 13 op cases, are every abstract method of the seven groups:
 * <table>
 * <caption>What every backend implements</caption>
 * <tr><th>group</th><th>primitives</th></tr>
 * <tr><td>{@link Memory} (6)</td><td>fromArray (float[], double[]), full, toDoubleArray, toFloatArray, cast</td></tr>
 * <tr><td>{@link Layout} (5)</td><td>reshape, permute, broadcastTo, concat, slice</td></tr>
 * <tr><td>{@link Elementwise} (2 + 13 cases)</td><td>unary: EXP LOG SQRT TANH ERF; binary: ADD SUB MUL DIV POW MAXIMUM GT EQ</td></tr>
 * <tr><td>{@link Reductions} (2)</td><td>sum, max</td></tr>
 * <tr><td>{@link Linalg} (1)</td><td>matmul (2-D and batched, with transposes)</td></tr>
 * <tr><td>{@link Convolution} (5)</td><td>conv2d and its two backward passes, maxPool2d and its backward</td></tr>
 * <tr><td>{@link NN} (2)</td><td>gatherRows, scatterAddRows</td></tr>
 * </table>
 * Everything else — the other unary and binary ops, affine, mean, logsumexp, argmax, pad, linear, a convolution
 * with its bias, average pooling, transposed convolution, softmax, class picks, LSTM and GRU cells, the recurrent
 * product, Adam and SGD steps, adopt — is in {@link Fused}, whose defaults compose these. A backend with only the primitives passes the whole TCK.
 */
public interface Backend {
    /** The name users select it by ("cpu", "opencl", "cuda", "reference"). */
    String name();

    /** The device in words ("2 CPU threads, AVX2 (256-bit vectors)", "NVIDIA H100, driver 580"). */
    String device();

    /** The dtypes this backend (and device) supports. */
    Set<DType> dtypes();

    Memory memory();

    Layout layout();

    Elementwise elementwise();

    Reductions reductions();

    Linalg linalg();

    Convolution convolution();

    NN nn();

    /** The optional kernels; the default composes every one of them from the primitives above. */
    default Fused fused() { return () -> this; }

    /**
     * How many independent tasks {@link #runConcurrently} runs at once: 1 unless a backend says more. The CPU backend
     * says its thread count, since two single-threaded halves of a step beat one step split op by op over two threads.
     */
    default int concurrency() { return 1; }

    /**
     * Runs tasks {@code 0 … n−1}, each on one thread and each calling this backend's kernels, which then run on that
     * thread alone; returns when all have finished, rethrowing the first failure. The default runs them one after
     * another on the caller. A task must not write what another task reads.
     */
    default void runConcurrently(int n, java.util.function.IntConsumer task) { for (int i = 0; i < n; i++) task.accept(i); }

    /** Seeded random numbers; the default draws on the host with {@link CounterRng}, identical on every backend. */
    default RandomOps random() { return new RandomOps() { @Override public Backend backend() { return Backend.this; } }; }
}
