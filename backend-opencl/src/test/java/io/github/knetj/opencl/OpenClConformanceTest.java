package io.github.knetj.opencl;

import io.github.knetj.tck.conformance.ConformanceKernelSuite;

/** The PyTorch conformance vectors, kernel by kernel, on the OpenCL backend in float64 and float32. */
class OpenClConformanceTest extends ConformanceKernelSuite {
    OpenClConformanceTest() { super("opencl"); }
}
