package io.github.knetj.bench;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Backends;

/**
 * The backend a benchmark runs on, picked at run time by name as any user picks one: the bench module compiles
 * against the API only, and the CPU backend is a runtime dependency like the others.
 */
final class BenchBackend {
    private BenchBackend() {}

    /**
     * The backend called {@code name} with a pool of {@code threads} threads. The thread count goes through
     * {@code knetj.threads}, which the CPU backend reads when its thread team is first used: JMH forks a fresh JVM for
     * each trial (every benchmark here has {@code @Fork(1)}), so that is after this call. In one JVM (-f 0) only the
     * first trial's count can take effect, so a different count later is an error rather than a wrong number.
     */
    static Backend open(String name, int threads) {
        System.setProperty("knetj.threads", Integer.toString(threads));
        Backend b = Backends.get(name);
        // The CPU backend's device() begins with its pool size: "2 threads, SIMD ...".
        if (b.name().equals("cpu") && !b.device().startsWith(threads + (threads == 1 ? " thread," : " threads,")))
            throw new IllegalStateException("benchmark wants " + threads + " threads but the cpu backend runs " + b.device()
                    + ": the pool size is fixed once per JVM, so run one thread count per fork (-f 1, the default)");
        return b;
    }
}
