package io.github.knetj.cpu;

import io.github.knetj.tck.BackendSuite;

/** The shared op suite on the CPU backend with SIMD off (the scalar loops). */
class CpuScalarSuiteTest extends BackendSuite {
    CpuScalarSuiteTest() { super("cpu-scalar", () -> new CpuBackend(false)); }
}
