package io.github.knetj.opencl;

import io.github.knetj.tck.BackendSuite;

/** The backend-agnostic op suite on the OpenCL backend (PoCL in CI), float32 and float64 against the reference. */
class OpenClSuiteTest extends BackendSuite {
    OpenClSuiteTest() { super("opencl"); }
}
