package io.github.knetj.autograd;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.TensorScope;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.AutoGrad.Value;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * {@link AutoGrad#diff} of a loss that is a mean over a batch's examples, computed in shards at once. The batch is cut
 * into shards of {@code n_k} examples; each shard's weighted loss {@code w_k L_k} is differentiated on its own thread
 * ({@link Backend#runConcurrently}), and the tape returned holds their sums
 * <pre>
 *   L = Σ_k w_k L_k        ∂L/∂p = Σ_k w_k ∂L_k/∂p        w_k = n_k / Σ n_k
 * </pre>
 * for every parameter p. When each {@code L_k} is the mean loss of its shard's examples, L is the mean over the whole
 * batch and so are its gradients, up to the order of the float additions: the same step, data-parallel inside one
 * process. On a 2-core machine two single-threaded halves of a LeNet step beat one step whose every op is split over
 * both threads, which pays a join per op.
 * <p>
 * The shards run in parallel, so the function must not change shared state: a layer that updates running statistics
 * while training (batch norm) would race, and its statistics would differ from the whole batch's anyway. Each shard's
 * kernels run on one thread, so a shard's numbers never depend on timing. The merged tape has gradients for
 * parameters only, and cannot be differentiated again.
 */
public final class ShardedDiff {
    private ShardedDiff() {}

    /**
     * The weighted mean of {@code shardLoss.apply(k)} over shards k with {@code sizes[k]} examples, and its parameter
     * gradients, each shard differentiated on its own thread of {@code backend}.
     */
    public static Tape mean(Backend backend, int[] sizes, IntFunction<Value> shardLoss) {
        if (AutoGrad.recording())
            throw new IllegalStateException("ShardedDiff.mean: called inside diff; higher-order gradients need one tape, use AutoGrad.diff");
        long total = 0;
        for (int n : sizes) {
            if (n <= 0) throw new IllegalArgumentException("ShardedDiff.mean: shard sizes must be positive, got " + java.util.Arrays.toString(sizes));
            total += n;
        }
        Tape[] tapes = new Tape[sizes.length];
        long examples = total;
        backend.runConcurrently(sizes.length, k -> {
            // Each shard's intermediates die with its own scope, on its own thread; the loss and the parameter
            // gradients outlive it until they are summed below. The loss is weighted before the backward pass, so the
            // gradients come out weighted: the merge is then one sum per parameter instead of two scalings and a sum.
            double w = (double) sizes[k] / examples;
            try (TensorScope scope = TensorScope.open()) {
                Tape t = AutoGrad.diff(() -> w == 1 ? shardLoss.apply(k) : Ops.scale(shardLoss.apply(k), w));
                scope.keep(t.result().data());
                for (Param p : t.params()) scope.keep(t.grad(p).data());
                tapes[k] = t;
            }
        });
        Value loss = null;
        Map<Value, Value> grads = new IdentityHashMap<>();
        for (Tape t : tapes) {
            loss = loss == null ? t.result() : Ops.add(loss, t.result());
            for (Param p : t.params()) grads.merge(p, t.grad(p), Ops::add);
        }
        // Give back now, rather than to the GC, the shards' arrays that no sum kept as it is.
        Map<Tensor, Boolean> kept = new IdentityHashMap<>();
        kept.put(loss.data(), true);
        for (Value g : grads.values()) kept.put(g.data(), true);
        for (Tape t : tapes) {
            if (!kept.containsKey(t.result().data())) t.result().data().close();
            for (Param p : t.params()) if (!kept.containsKey(t.grad(p).data())) t.grad(p).data().close();
        }
        grads.put(loss, Ops.onesLike(loss));
        return new Tape(loss, grads);
    }

    /** Cuts n examples into k shards as even as they can be, the larger ones first: 10 into 3 is 4, 3, 3. */
    public static int[] split(int n, int k) {
        if (k < 1 || k > n) throw new IllegalArgumentException("ShardedDiff.split: cannot cut " + n + " examples into " + k + " shards");
        int[] sizes = new int[k];
        for (int i = 0; i < k; i++) sizes[i] = n / k + (i < n % k ? 1 : 0);
        return sizes;
    }
}
