package io.github.knetj.spark.cli;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.spark.SparkContexts;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * The options every Spark command shares, and the context they make: {@code --master} (local[W] unless given),
 * {@code --workers W} (2), {@code --threads N} per worker, {@code --backend}, {@code --executor-wait SECONDS}.
 * <p>
 * On a standalone master each worker is one executor with one core, so W executors take the W tasks of a step; the
 * executors get KnetJ's JVM flags (Spark adds its own --add-opens), the thread count, and the launcher's class path
 * (the same folders on one machine; on a real cluster, submit a jar instead: docs/scale-out.md).
 */
final class Cluster {
    static final Set<String> OPTIONS = Set.of("master", "workers", "threads", "backend", "executor-wait");

    private Cluster() {}

    /** The number of workers (shards, tasks per step). */
    static int workers(Options o) {
        int w = o.getInt("workers", 2);
        if (w <= 0) throw new IllegalArgumentException("--workers must be positive, got " + w);
        return w;
    }

    /** Sets the driver's threads, backend and dtype, before anything touches a backend. */
    static Backend setUp(Options o, DType dtype) {
        if (o.has("threads")) System.setProperty("knetj.threads", o.get("threads", ""));
        Backend backend = o.has("backend") ? Backends.get(o.get("backend", "auto")) : Backends.get();
        Defaults.backend(backend);
        Defaults.dtype(dtype);
        return backend;
    }

    /** Starts the context and, on a cluster, waits (bounded) until the workers' executors have registered. */
    static JavaSparkContext start(Options o, String app) throws TimeoutException {
        int workers = workers(o);
        String master = o.get("master", "local[" + workers + "]");
        Map<String, String> conf = new LinkedHashMap<>();
        if (!master.startsWith("local")) {
            conf.put("spark.executor.cores", "1");
            conf.put("spark.cores.max", Integer.toString(workers));
            conf.put("spark.executor.memory", System.getProperty("knetj.spark.executor.memory", "1g"));
            String flags = System.getProperty("knetj.spark.executor.flags", "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED");
            conf.put("spark.executor.extraJavaOptions", flags + " -Dknetj.threads=" + o.get("threads", "1")
                    + (o.has("backend") ? " -Dknetj.backend=" + o.get("backend", "") : ""));
            String cp = System.getProperty("knetj.spark.classpath");
            if (cp != null) conf.put("spark.executor.extraClassPath", cp);
            String data = System.getenv("KNETJ_DATA");
            if (data != null) conf.put("spark.executorEnv.KNETJ_DATA", data);
        }
        JavaSparkContext sc = SparkContexts.start(master, app, conf);
        try {
            SparkContexts.awaitExecutors(sc, workers, o.getDouble("executor-wait", 120));
        } catch (TimeoutException e) {
            sc.stop();
            throw e;
        }
        return sc;
    }
}
