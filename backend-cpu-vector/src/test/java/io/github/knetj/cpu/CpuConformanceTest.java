package io.github.knetj.cpu;

import io.github.knetj.tck.conformance.ConformanceKernelSuite;

/** The PyTorch conformance vectors on the "cpu" backend (SIMD on). */
class CpuConformanceTest extends ConformanceKernelSuite {
    CpuConformanceTest() { super("cpu"); }
}
