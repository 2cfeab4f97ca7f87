package io.github.knetj.spark;

import io.github.knetj.data.Mnist;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * Where an executor gets its shard from. A source is small (a file path, or a handle on broadcast data), because it
 * travels in the closure of the job that builds the cached shards, and again whenever Spark rebuilds a lost shard
 * from its lineage (a worker died); the examples themselves never ride in a task.
 */
@FunctionalInterface
public interface ShardSource extends Serializable {
    /** Shard {@code index} of {@code count}. */
    Shard load(int index, int count) throws IOException;

    /**
     * Data held by the driver, shared with the executors as one Spark broadcast (fetched once by each executor, in
     * pieces, from the driver or from executors that have it).
     */
    static ShardSource fromArrays(JavaSparkContext sc, float[] x, int[] labels, int[] xsize) {
        Shard.of(x, labels, xsize, 0, 1);   // checks the sizes on the driver, before anything is shipped
        Broadcast<Shard> all = sc.broadcast(new Shard(0, 1, x, labels, xsize.clone()));
        return (index, count) -> {
            Shard s = all.value();
            return Shard.of(s.x(), s.labels(), s.xsize(), index, count);
        };
    }

    /**
     * MNIST's training set read by each executor from {@code dir} (the cache folder every JVM on one machine, or a
     * shared folder on a cluster, can read), standardized or in [0, 1]; LeNet's example shape when {@code images},
     * else the MLP's 784 values.
     */
    static ShardSource mnist(String dir, boolean standardized, boolean images) { return mnist(dir, standardized, images, true); }

    /** The same for MNIST's training split ({@code train}) or its test split. */
    static ShardSource mnist(String dir, boolean standardized, boolean images, boolean train) {
        return (index, count) -> {
            Mnist m = Mnist.load(Path.of(dir));
            if (standardized) m = m.standardized();   // the test split too is scaled with the training statistics
            Mnist.Split split = train ? m.train() : m.test();
            int[] xsize = images ? new int[]{1, Mnist.SIDE, Mnist.SIDE} : new int[]{Mnist.SIDE * Mnist.SIDE};
            return Shard.of(split.images(), split.labels(), xsize, index, count);
        };
    }
}
