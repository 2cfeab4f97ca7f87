package io.github.knetj.cpu;

import io.github.knetj.api.Availability;
import io.github.knetj.api.Backend;
import io.github.knetj.api.BackendProvider;

/** The ServiceLoader entry of the {@link CpuBackend}: name "cpu", priority 100, always available (pure Java). */
public final class CpuBackendProvider implements BackendProvider {
    /** Computed once: whether SIMD is possible cannot change while the JVM runs. */
    private static final Availability AVAILABLE = Availability.yes(CpuBackend.vectorModulePresent() ? "pure Java, Vector API SIMD"
            : "pure Java, SIMD off: add --add-modules jdk.incubator.vector for SIMD");

    @Override public String name() { return CpuBackend.NAME; }

    @Override public int priority() { return 100; }

    @Override public Availability availability() { return AVAILABLE; }

    @Override public Backend create() { return new CpuBackend(); }
}
