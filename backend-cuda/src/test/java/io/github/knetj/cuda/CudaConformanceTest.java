package io.github.knetj.cuda;

import io.github.knetj.tck.conformance.ConformanceKernelSuite;

/** The PyTorch conformance vectors, kernel by kernel, on the CUDA backend; skipped with the reason without a GPU. */
class CudaConformanceTest extends ConformanceKernelSuite {
    CudaConformanceTest() { super("cuda"); }
}
