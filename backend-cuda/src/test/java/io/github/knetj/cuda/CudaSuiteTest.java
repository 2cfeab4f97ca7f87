package io.github.knetj.cuda;

import io.github.knetj.tck.BackendSuite;

/** The backend-agnostic op suite on the CUDA backend; without a GPU every test is skipped with the reason printed. */
class CudaSuiteTest extends BackendSuite {
    CudaSuiteTest() { super("cuda"); }
}
