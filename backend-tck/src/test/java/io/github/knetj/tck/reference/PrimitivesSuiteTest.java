package io.github.knetj.tck.reference;

import io.github.knetj.tck.BackendSuite;

/** The whole backend suite on the reference backend's required primitives alone: every optional kernel composed. */
class PrimitivesSuiteTest extends BackendSuite {
    PrimitivesSuiteTest() { super(ReferenceBackend.PRIMITIVES); }
}
