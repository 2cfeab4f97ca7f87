package io.github.knetj.cuda;

import io.github.knetj.api.Availability;
import io.github.knetj.api.Backend;
import io.github.knetj.api.BackendProvider;
import io.github.knetj.api.BackendUnavailableException;

/**
 * Finds the CUDA backend for {@link java.util.ServiceLoader}: name "cuda", priority 300 (above every CPU backend).
 * Availability loads JCuda's driver binding and asks the driver; every failure, including a missing
 * {@code libcuda.so.1}, becomes a reason, so a CUDA jar on a machine without a GPU never breaks the CPU backends.
 * The answer is computed once per process (the driver does not change under a running JVM).
 */
public final class CudaBackendProvider implements BackendProvider {
    private static volatile Availability processWide;

    private final DriverCalls driver;
    private volatile Availability availability;

    /** The provider ServiceLoader instantiates, asking the real driver through JCuda. */
    public CudaBackendProvider() { this(DriverCalls.JCUDA); }

    /** A provider asking {@code driver}: tests pass fakes of machines they do not have. */
    CudaBackendProvider(DriverCalls driver) { this.driver = driver; }

    @Override public String name() { return "cuda"; }

    @Override public int priority() { return 300; }

    @Override public Availability availability() {
        Availability a = availability;
        if (a == null) {
            synchronized (this) {
                if (availability == null) availability = driver == DriverCalls.JCUDA ? realDriver() : safeProbe(driver);
                a = availability;
            }
        }
        return a;
    }

    /** The real driver is probed once per process: after a failed native load, JCuda's classes cannot be initialised again. */
    private static synchronized Availability realDriver() {
        if (processWide == null) processWide = safeProbe(DriverCalls.JCUDA);
        return processWide;
    }

    private static Availability safeProbe(DriverCalls driver) {
        try {
            return DriverProbe.probe(driver);
        } catch (Throwable t) {
            return Availability.no("the CUDA probe failed: " + t);
        }
    }

    @Override public Backend create() {
        Availability a = availability();
        if (!a.available()) throw new BackendUnavailableException("backend 'cuda' is unavailable: " + a.reason());
        return new CudaBackend(a.reason());
    }
}
