package io.github.knetj.docs;

import io.github.knetj.api.Availability;
import io.github.knetj.api.Backend;
import io.github.knetj.api.BackendProvider;

/**
 * How {@link java.util.ServiceLoader} would find the tutorial backend: a name, a priority below every real backend
 * (so {@code auto} never picks it), an availability that cannot fail (it needs nothing but Java), and a factory.
 * A backend module lists its provider in {@code META-INF/services/io.github.knetj.api.BackendProvider}.
 */
// tag::provider[]
public final class TinyBackendProvider implements BackendProvider {
    @Override public String name() { return "tiny"; }

    @Override public int priority() { return 1; }

    @Override public Availability availability() { return Availability.yes("plain Java on the host"); }

    @Override public Backend create() { return new TinyBackend(); }
}
// end::provider[]
