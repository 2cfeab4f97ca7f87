package io.github.knetj.examples;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;
import io.github.knetj.api.ThreadCount;
import io.github.knetj.autograd.Defaults;
import picocli.CommandLine.Option;

/** The options every computing command takes: which backend, how many CPU threads, which dtype. */
public final class BackendOptions {
    @Option(names = "--backend", paramLabel = "NAME", description = "cpu, opencl, cuda, reference or auto (default: KNETJ_BACKEND, else auto)")
    String backend;

    @Option(names = "--threads", paramLabel = "N", description = "CPU threads, 1 to 4 per processor (default: KNETJ_THREADS, else all processors)")
    Integer threads;

    @Option(names = "--dtype", paramLabel = "DTYPE", description = "float32 or float64", defaultValue = "float32")
    String dtype = "float32";

    /** The dtype named by --dtype, or a usage error. */
    public DType dtype() { return DType.parse(dtype); }

    /**
     * Applies --threads (checked against {@link ThreadCount}), then picks the backend and the dtype as the defaults of
     * everything built afterwards. Threads are set before any backend runs a kernel, so the CPU team starts at that size.
     */
    public Backend apply() {
        DType d = dtype();
        if (threads != null) System.setProperty("knetj.threads", Integer.toString(ThreadCount.check("--threads", threads)));
        Backend b = backend != null ? Backends.get(backend) : Backends.get();
        if (!b.dtypes().contains(d))
            throw new IllegalArgumentException("--dtype " + d + ": backend '" + b.name() + "' (" + b.device() + ") supports only " + b.dtypes());
        Defaults.backend(b);
        Defaults.dtype(d);
        return b;
    }

    /** The thread count to report: --threads, else the configured one. */
    public String threadsLabel() { return System.getProperty("knetj.threads", "default"); }
}
