package io.github.knetj.tck.reference;

import io.github.knetj.tck.BackendSuite;

/** Runs the backend suite on the reference backend found by the service loader, against a second reference instance. */
class ReferenceSuiteTest extends BackendSuite {
    ReferenceSuiteTest() { super("reference"); }
}
