package io.github.knetj.spark;

import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.layers.Layer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The model copies an executor keeps between steps, one per task running at once, so that a step only overwrites
 * parameters instead of building (and randomly initialising) a model. Copies are kept for the latest run only: a
 * new run id drops those of earlier runs.
 */
final class ModelPool {
    private static final Map<String, ConcurrentLinkedDeque<Layer>> POOLS = new ConcurrentHashMap<>();

    private ModelPool() {}

    /** A model of this run to use alone; give it back with {@link #release}. */
    static Layer borrow(StepJob job) {
        useBackendOf(job);
        if (!POOLS.containsKey(job.runId())) POOLS.keySet().removeIf(id -> !id.equals(job.runId()));
        Layer m = POOLS.computeIfAbsent(job.runId(), id -> new ConcurrentLinkedDeque<>()).pollFirst();
        return m != null ? m : job.model().get();
    }

    static void release(StepJob job, Layer model) {
        ConcurrentLinkedDeque<Layer> pool = POOLS.get(job.runId());
        if (pool != null) pool.addFirst(model);
    }

    /**
     * Makes the job's backend and dtype this JVM's defaults. On an executor JVM of its own nothing has set them;
     * in local mode the driver shares the JVM and has set the same ones, so nothing changes.
     */
    static void useBackendOf(StepJob job) { useBackend(job.backend(), job.dtype()); }

    /** The same for a backend and a dtype by name. */
    static void useBackend(String backend, String dtypeName) {
        DType dtype = DType.parse(dtypeName);
        if (Defaults.dtype() != dtype) Defaults.dtype(dtype);
        if (!Defaults.backend().name().equals(backend)) Defaults.backend(Backends.get(backend));
    }
}
