package io.github.knetj.tck.reference;

import io.github.knetj.tck.conformance.ConformanceKernelSuite;

/** The reference backend against PyTorch's conformance vectors: the real check of the oracle. */
class ReferenceConformanceTest extends ConformanceKernelSuite {
    ReferenceConformanceTest() { super("reference"); }
}
