package io.github.knetj.tck.reference;

import io.github.knetj.api.Availability;
import io.github.knetj.api.Backend;
import io.github.knetj.api.BackendProvider;

import java.util.List;

/**
 * The service-loader entry of {@link ReferenceBackend#primitivesOnly()}: always available, below the reference backend
 * in priority, so {@code auto} never prefers it.
 */
public final class PrimitivesBackendProvider implements BackendProvider {
    @Override public String name() { return ReferenceBackend.PRIMITIVES; }

    @Override public int priority() { return 5; }

    @Override public Availability availability() { return Availability.yes("the reference backend's required primitives only"); }

    @Override public Backend create() { return ReferenceBackend.primitivesOnly(); }

    @Override public List<String> devices() { return List.of("the host CPU (scalar Java, one thread, primitives only)"); }
}
