package io.github.knetj.docs;

import io.github.knetj.tck.conformance.ConformanceKernelSuite;

/** The PyTorch conformance vectors whose op is one kernel, run on the tutorial backend. */
// tag::conformance[]
class TinyConformanceTest extends ConformanceKernelSuite {
    TinyConformanceTest() { super("tiny", TinyBackend::new); }
}
// end::conformance[]
