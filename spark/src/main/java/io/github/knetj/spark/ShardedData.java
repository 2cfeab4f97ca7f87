package io.github.knetj.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The training set as {@code workers} cached Spark partitions of one {@link Shard} each: the first job builds each
 * shard on an executor from the source and keeps it in that executor's memory; every later step finds it there.
 * A lost shard (its executor died) is rebuilt from the source on another executor by Spark itself.
 */
public final class ShardedData implements AutoCloseable {
    private final JavaRDD<Shard> rdd;
    private final int workers;
    private final int[] sizes;

    private ShardedData(JavaRDD<Shard> rdd, int workers, int[] sizes) {
        this.rdd = rdd;
        this.workers = workers;
        this.sizes = sizes;
    }

    /** Splits the source's data into {@code workers} shards, caches them on the executors, and learns their sizes. */
    public static ShardedData of(JavaSparkContext sc, ShardSource source, int workers) {
        if (workers <= 0) throw new IllegalArgumentException("ShardedData: workers must be positive, got " + workers);
        List<Integer> indices = IntStream.range(0, workers).boxed().toList();
        JavaRDD<Shard> rdd = sc.parallelize(indices, workers).map(i -> source.load(i, workers))
                .setName("knetj shards").persist(StorageLevel.MEMORY_ONLY());
        // Materialises the cache: one small job that builds every shard and returns only its size.
        List<Integer> counted = rdd.map(Shard::size).collect();
        int[] sizes = counted.stream().mapToInt(Integer::intValue).toArray();
        return new ShardedData(rdd, workers, sizes);
    }

    /** The cached shards. */
    public JavaRDD<Shard> rdd() { return rdd; }

    public int workers() { return workers; }

    /** The number of examples of each shard. */
    public int[] sizes() { return sizes.clone(); }

    /** Global steps per epoch: as many as the smallest shard has whole local batches. */
    public int stepsPerEpoch(int localBatch) {
        int min = Integer.MAX_VALUE;
        for (int s : sizes) min = Math.min(min, s / localBatch);
        return min;
    }

    /** Every shard, built in this process from the source: for single-process references and tests. */
    public static List<Shard> local(ShardSource source, int workers) throws java.io.IOException {
        List<Shard> out = new ArrayList<>();
        for (int k = 0; k < workers; k++) out.add(source.load(k, workers));
        return out;
    }

    /** Drops the cached shards from the executors' memory. */
    @Override public void close() { rdd.unpersist(false); }
}
