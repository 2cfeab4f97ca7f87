package io.github.knetj.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Spark contexts as KnetJ uses them: bound to 127.0.0.1 unless told otherwise, no web UI, no console progress bar
 * (the trainer reports its own), and a bounded wait for executors, since a driver whose executors never start
 * (a standalone worker without SPARK_HOME, say) would otherwise wait for ever.
 */
public final class SparkContexts {
    private SparkContexts() {}

    /**
     * A context on {@code master} ("local[2]", "spark://127.0.0.1:7077") with these extra settings. The driver binds
     * to 127.0.0.1 (or SPARK_LOCAL_IP) only for a local master or one on this machine: a driver on a real cluster
     * must be reachable from the executors, so there Spark's own choice of address stands.
     */
    public static JavaSparkContext start(String master, String app, Map<String, String> settings) {
        SparkConf conf = new SparkConf().setMaster(master).setAppName(app)
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false")
                // The weights broadcast at every step are float64 arrays of trained values, which LZ4 barely shrinks:
                // compressing them costs time on the driver and on every executor for nothing.
                .set("spark.broadcast.compress", "false")
                // A worker's gradient sum is one copy of the model (3.4 MB for LeNet). Above 1 MB Spark would park it in
                // the executor's block manager and have the driver fetch it in a second round trip; sent with the
                // task's status instead (under spark.rpc.message.maxSize, 128 MB), it arrives in one.
                .set("spark.task.maxDirectResultSize", "64m");
        if (onThisMachine(master)) {
            String ip = System.getenv().getOrDefault("SPARK_LOCAL_IP", "127.0.0.1");
            conf.set("spark.driver.host", ip).set("spark.driver.bindAddress", ip);
        }
        settings.forEach(conf::set);
        return new JavaSparkContext(conf);
    }

    /** Whether the master runs the executors in this JVM or on this machine's loopback address. */
    static boolean onThisMachine(String master) {
        return master.startsWith("local") || master.contains("://127.0.0.1") || master.contains("://localhost");
    }

    /**
     * Waits until at least {@code executors} executors (besides the driver) have registered, or fails after
     * {@code seconds}. Local mode runs its tasks in the driver and needs no wait.
     */
    public static void awaitExecutors(JavaSparkContext sc, int executors, double seconds) throws TimeoutException {
        if (sc.master().startsWith("local")) return;
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (true) {
            int n = sc.sc().statusTracker().getExecutorInfos().length - 1;   // the driver is listed too
            if (n >= executors) return;
            if (System.nanoTime() > deadline)
                throw new TimeoutException("Spark: " + n + " of " + executors + " executors registered with " + sc.master() + " within " + seconds
                        + " s (is SPARK_HOME set for the workers, with the jars in SPARK_HOME/jars, and SPARK_SCALA_VERSION=2.13?)");
            try { Thread.sleep(200); } catch (InterruptedException e) { Thread.currentThread().interrupt(); throw new TimeoutException("interrupted"); }
        }
    }
}
