package io.github.knetj.docs;

import io.github.knetj.tck.BackendSuite;

/**
 * The TCK run that certifies the tutorial backend: every kernel of the SPI, forward and backward, in float32 and
 * float64, on generated shapes, against the reference backend, plus the errors every backend must raise.
 */
// tag::tck[]
class TinyBackendTckTest extends BackendSuite {
    TinyBackendTckTest() { super("tiny", () -> new TinyBackendProvider().create()); }
}
// end::tck[]
