package io.github.knetj.tck.reference;

import io.github.knetj.api.Availability;
import io.github.knetj.api.Backend;
import io.github.knetj.api.BackendProvider;

import java.util.List;

/** The service-loader entry of the reference backend: always available, lowest priority, so {@code auto} never prefers it. */
public final class ReferenceBackendProvider implements BackendProvider {
    @Override public String name() { return ReferenceBackend.NAME; }

    @Override public int priority() { return 10; }

    @Override public Availability availability() { return Availability.yes("scalar Java on the host"); }

    @Override public Backend create() { return new ReferenceBackend(); }

    @Override public List<String> devices() { return List.of("the host CPU (scalar Java, one thread)"); }
}
