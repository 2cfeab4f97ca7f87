package io.github.knetj.spark;

import io.github.knetj.api.DType;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.io.ModelIO;
import io.github.knetj.layers.Init;
import io.github.knetj.layers.Layer;
import io.github.knetj.optim.Optimizers;
import org.apache.spark.api.java.JavaSparkContext;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The driver of {@link StandaloneClusterTest}, a JVM of its own (a JVM holds one SparkContext, and the other tests
 * hold a local one): trains the test MLP on the standalone cluster, runs {@code kill-worker DIR 2} after step
 * {@code killAfter} (0: never), and saves the model with the executors' LD_PRELOAD in its metadata. Arguments: master,
 * cluster dir, killAfter, steps, output file.
 */
public final class StandaloneDriver {
    static final int GLOBAL_BATCH = 16;

    private StandaloneDriver() {}

    public static void main(String[] args) throws Exception {
        String master = args[0];
        Path dir = Path.of(args[1]);
        int killAfter = Integer.parseInt(args[2]);
        int steps = Integer.parseInt(args[3]);
        Path out = Path.of(args[4]);
        Defaults.dtype(DType.FLOAT64);
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.executor.cores", "1");
        conf.put("spark.cores.max", "2");
        conf.put("spark.executor.memory", "512m");
        conf.put("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dknetj.threads=1");
        conf.put("spark.executor.extraClassPath", System.getProperty("knetj.test.classes"));
        conf.put("spark.network.timeout", "60s");
        conf.put("spark.executor.heartbeatInterval", "3s");
        try (JavaSparkContext sc = SparkContexts.start(master, "knetj standalone test", conf)) {
            SparkContexts.awaitExecutors(sc, 2, 90);
            // What the executors' processes were started with: the test checks that the workers preload libjsig.
            String preload = String.join(";", sc.parallelize(java.util.List.of(0, 1, 2, 3), 4)
                    .map(i -> String.valueOf(System.getenv("LD_PRELOAD"))).distinct().collect());
            ModelFactory factory = SyncEquivalenceTest.smallMlp();
            try (ShardedData data = ShardedData.of(sc, source(steps), 2)) {
                Init.seed(42);
                Layer model = factory.get();
                SparkRun run = new SparkTrainer(sc, factory).globalBatch(GLOBAL_BATCH).seed(5).onExchange(step -> {
                    if (step == killAfter) {
                        try {
                            Process p = new ProcessBuilder("bash", System.getProperty("knetj.cluster.script"), "kill-worker", dir.toString(), "2")
                                    .inheritIO().start();
                            if (p.waitFor() != 0) throw new IllegalStateException("kill-worker failed");
                            System.err.println("[driver] killed worker 2 after step " + step);
                        } catch (java.io.IOException | InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }).fit(model, Optimizers.adam(0.01), data, 1);
                int executors = sc.sc().statusTracker().getExecutorInfos().length - 1;
                ModelIO.save(out, model, null, Map.of("executors_at_end", Integer.toString(executors),
                        "steps", Long.toString(run.exchanges()), "executor_ld_preload", preload));
                System.err.println("[driver] finished " + run.exchanges() + " steps with " + executors + " executors");
            }
        }
    }

    static ShardSource source(int steps) { return TestSpark.synthetic(11, GLOBAL_BATCH * steps, new int[]{12}, 4); }
}
