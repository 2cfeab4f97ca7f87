package io.github.knetj.cpu;

import io.github.knetj.tck.conformance.ConformanceKernelSuite;

/** The PyTorch conformance vectors on the CPU backend with SIMD off. */
class CpuScalarConformanceTest extends ConformanceKernelSuite {
    CpuScalarConformanceTest() { super("cpu-scalar", () -> new CpuBackend(false)); }
}
