package io.github.knetj.api;

import java.util.Set;

/**
 * A hardware backend: its name and device, and its kernels grouped by concern. Every kernel takes and returns
 * tensors of this backend; mixing backends or dtypes is an error that names the op, shapes and dtypes.
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

    /** Seeded random numbers; the default draws on the host with {@link CounterRng}, identical on every backend. */
    default RandomOps random() { return new RandomOps() { @Override public Backend backend() { return Backend.this; } }; }
}
