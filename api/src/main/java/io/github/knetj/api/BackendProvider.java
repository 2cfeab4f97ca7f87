package io.github.knetj.api;

/**
 * How {@link java.util.ServiceLoader} finds a backend: a name, a priority, a cheap availability check
 * that returns a reason instead of throwing, and a lazy {@link #create()}.
 * List implementations in {@code META-INF/services/io.github.knetj.api.BackendProvider}.
 */
public interface BackendProvider {
    /** The name users select it by: "cpu", "opencl", "cuda", "reference". */
    String name();

    /** Higher wins in {@code auto} selection. May depend on the device found (a CPU OpenCL device ranks below "cpu"). */
    int priority();

    /**
     * Whether the backend can start here. Must never throw: catch {@link LinkageError} (a missing native library)
     * and driver errors here, and cache the answer.
     */
    Availability availability();

    /** Starts the backend; called at most once per provider by {@link Backends}. */
    Backend create();

    /** Every device this provider can see, in words, chosen or not (for {@code ./knetj backends}); empty when none. */
    default java.util.List<String> devices() { return java.util.List.of(); }
}
