package io.github.knetj.tck.reference;

import io.github.knetj.tck.conformance.ConformanceKernelSuite;

/** PyTorch's conformance vectors on the required primitives alone: the composed defaults of Fused against PyTorch. */
class PrimitivesConformanceTest extends ConformanceKernelSuite {
    PrimitivesConformanceTest() { super(ReferenceBackend.PRIMITIVES); }
}
