package io.github.knetj.train;

import io.github.knetj.api.Backend;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.ShardedDiff;
import io.github.knetj.layers.Init;

import java.util.function.IntFunction;

/**
 * A training step cut into shards of its batch, each differentiated on its own thread ({@link ShardedDiff}), with the
 * seeds a layer draws ({@link Init#nextSeed}, dropout's masks) drawn on the caller's thread, one per shard, so that a
 * step gives the same numbers whichever thread runs which shard.
 */
public final class Shards {
    private Shards() {}

    /** One shard per task the backend runs at once, but no more shards than examples. */
    public static int auto(Backend backend, int examples) { return Math.max(1, Math.min(backend.concurrency(), examples)); }

    /** {@link ShardedDiff#mean} of {@code shardLoss}, shard k running with a seed drawn here for it. */
    public static Tape diff(Backend backend, int[] sizes, IntFunction<Value> shardLoss) {
        long[] seeds = new long[sizes.length];
        for (int k = 0; k < seeds.length; k++) seeds[k] = Init.nextSeed();
        return ShardedDiff.mean(backend, sizes, k -> Init.withSeed(seeds[k], () -> shardLoss.apply(k)));
    }
}
