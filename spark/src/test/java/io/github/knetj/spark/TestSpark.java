package io.github.knetj.spark;

import org.apache.spark.api.java.JavaSparkContext;

import java.util.Map;
import java.util.SplittableRandom;

/** One local[2] Spark context for all the tests of this module (starting one takes seconds), and small data sets. */
final class TestSpark {
    private static JavaSparkContext sc;

    private TestSpark() {}

    static synchronized JavaSparkContext context() {
        if (sc == null) {
            sc = SparkContexts.start("local[2]", "knetj-spark-tests", Map.of());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> sc.stop()));
        }
        return sc;
    }

    /**
     * n examples of shape xsize with gaussian inputs and labels from a fixed random linear rule (so a model can learn
     * them), as a ShardSource that builds each shard from the seed alone: nothing but the seed travels.
     */
    static ShardSource synthetic(long seed, int n, int[] xsize, int classes) { return synthetic(seed, seed, n, xsize, classes); }

    /** The same, the rule drawn from {@code ruleSeed} and the examples from {@code seed}: a test set for the same task. */
    static ShardSource synthetic(long ruleSeed, long seed, int n, int[] xsize, int classes) {
        return (index, count) -> {
            float[][] xy = new float[1][];
            int[] labels = new int[n];
            int features = 1;
            for (int d : xsize) features *= d;
            SplittableRandom rule = new SplittableRandom(ruleSeed);
            double[][] w = new double[classes][features];
            for (double[] row : w) for (int j = 0; j < features; j++) row[j] = rule.nextDouble(-1, 1);
            SplittableRandom r = seed == ruleSeed ? rule : new SplittableRandom(seed);
            xy[0] = new float[n * features];
            for (int i = 0; i < n; i++) {
                double best = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < features; j++) xy[0][i * features + j] = (float) (r.nextGaussian());
                for (int c = 0; c < classes; c++) {
                    double s = 0;
                    for (int j = 0; j < features; j++) s += w[c][j] * xy[0][i * features + j];
                    if (s > best) { best = s; labels[i] = c; }
                }
            }
            return Shard.of(xy[0], labels, xsize, index, count);
        };
    }
}
