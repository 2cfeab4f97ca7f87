package io.github.knetj.cpu;

import io.github.knetj.tck.BackendSuite;

/** The shared op suite on the "cpu" backend as ServiceLoader finds it (SIMD on). */
class CpuSuiteTest extends BackendSuite {
    CpuSuiteTest() { super("cpu"); }
}
