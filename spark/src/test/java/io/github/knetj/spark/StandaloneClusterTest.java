package io.github.knetj.spark;

import io.github.knetj.api.DType;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.data.Batch;
import io.github.knetj.io.ModelIO;
import io.github.knetj.io.SafeTensors;
import io.github.knetj.layers.Init;
import io.github.knetj.layers.Layer;
import io.github.knetj.layers.Params;
import io.github.knetj.optim.Optimizers;
import io.github.knetj.train.Trainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real cluster on this machine: bin/standalone-cluster starts a master and two workers (three JVMs, plus one
 * executor JVM per worker), a driver JVM trains on it, and worker 2 is killed (kill -9, executor included) after
 * step 15 of 60. Spark re-runs the lost tasks on the survivor, rebuilding the lost shard from its lineage, and the
 * run finishes with exactly the parameters of one process on the same global batches: which executor computes a
 * shard's gradient changes nothing.
 */
class StandaloneClusterTest {
    static final int STEPS = 60;
    private final DType savedDtype = Defaults.dtype();

    @AfterEach void restoreDtype() { Defaults.dtype(savedDtype); }

    @Test void trainingSurvivesAWorkerKilledMidEpoch(@TempDir Path tmp) throws Exception {
        Path script = Path.of("bin", "standalone-cluster").toAbsolutePath();
        Path jars = Files.createDirectories(tmp.resolve("jars"));
        List<String> classes = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar")) Files.createSymbolicLink(jars.resolve(p.getFileName()), p.toAbsolutePath());
            else classes.add(p.toAbsolutePath().toString());
        }
        Path cluster = tmp.resolve("cluster");
        run(List.of("bash", script.toString(), "start", cluster.toString(), "2"), jars, 150);
        try {
            String master = Files.readString(cluster.resolve("master-url")).trim();
            Path out = tmp.resolve("model.safetensors");
            List<String> driver = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            driver.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(a -> a.startsWith("--add-") || a.startsWith("--enable-") || a.startsWith("--sun-") || a.startsWith("-Dio.netty")).toList());
            driver.addAll(List.of("-Xmx768m", "-Dknetj.test.classes=" + String.join(File.pathSeparator, classes),
                    "-Dknetj.cluster.script=" + script, "-cp", System.getProperty("java.class.path"),
                    StandaloneDriver.class.getName(), master, cluster.toString(), "15", Integer.toString(STEPS), out.toString()));
            run(driver, jars, 300);

            assertEquals("1", SafeTensors.metadata(out).get("executors_at_end"), "worker 2's executor is gone");
            assertEquals(Integer.toString(STEPS), SafeTensors.metadata(out).get("steps"));
            // The cluster was started without LD_PRELOAD in its environment (run() removes it): the script's own.
            String preload = SafeTensors.metadata(out).get("executor_ld_preload");
            assertTrue(preload.matches("[^;]*libjsig\\.so[^;]*"), "the executors' LD_PRELOAD: " + preload);
            Defaults.dtype(DType.FLOAT64);
            ModelFactory factory = SyncEquivalenceTest.smallMlp();
            Layer trained = factory.get();
            ModelIO.load(out, trained, null);
            Init.seed(42);
            Layer reference = factory.get();
            List<Shard> shards = ShardedData.local(StandaloneDriver.source(STEPS), 2);
            List<Batch> batches = new ArrayList<>();
            for (int t = 0; t < STEPS; t++) batches.add(Shard.globalBatch(shards, 5, 0, t, StandaloneDriver.GLOBAL_BATCH / 2));
            new Trainer().progress(Trainer.Progress.OFF).fit(reference, batches, Optimizers.adam(0.01), 1);
            double rel = SyncEquivalenceTest.relativeDistance(Params.of(trained), Params.of(reference));
            System.out.printf("standalone cluster, worker 2 killed after step 15 of %d: ‖cluster − one process‖ / ‖one process‖ = %.3e%n", STEPS, rel);
            assertTrue(rel <= 1e-12, "relative distance " + rel);
        } finally {
            run(List.of("bash", script.toString(), "stop", cluster.toString()), jars, 60);
        }
    }

    /** Runs a command with the cluster's environment, its output shown, failing on a non-zero exit or a timeout. */
    private static void run(List<String> command, Path jars, int seconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        pb.environment().put("KNETJ_SPARK_JARS", jars.toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        // Surefire preloads libjsig into this JVM; the cluster must do so itself, for its executors (see the script).
        if (command.contains("start")) pb.environment().remove("LD_PRELOAD");
        Process p = pb.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command.subList(0, Math.min(3, command.size()))) + "... did not finish within " + seconds + " s");
        }
        String name = command.stream().filter(a -> !a.startsWith("-") && !a.contains("/")).findFirst().orElse(command.get(0));
        assertEquals(0, p.exitValue(), "exit status of " + name);
    }
}
