package io.github.knetj.spark;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.data.Batch;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The training examples one Spark partition holds: every {@code count}-th example of the data set, starting at
 * {@code index} (a round-robin split, so that every shard is a fair sample of data stored in class order). A shard
 * is built once on an executor and cached there; each step cuts one local batch from it.
 * <p>
 * The local batches of an epoch follow a permutation of the shard drawn from (seed, shard index, epoch) alone, so
 * the global batch of step t (the t-th local batch of every shard, in shard order) is the same on any cluster and
 * can be rebuilt in one process ({@link #globalBatch}), which is what the equivalence tests train on.
 *
 * @param index  which shard this is, 0-based
 * @param count  how many shards the data set was split into
 * @param x      the shard's examples, one after another, each of {@code xsize} floats
 * @param labels one class per example
 * @param xsize  the shape of one example ({1, 28, 28} for LeNet, {784} for an MLP)
 */
public record Shard(int index, int count, float[] x, int[] labels, int[] xsize) implements Serializable {
    public Shard {
        int features = Shape.of(xsize).sizeInt();
        if (features <= 0) throw new IllegalArgumentException("Shard: example shape " + Arrays.toString(xsize) + " has no elements");
        if ((long) labels.length * features != x.length)
            throw new IllegalArgumentException("Shard " + index + ": " + x.length + " inputs do not make " + labels.length
                    + " examples of shape " + Arrays.toString(xsize));
        if (index < 0 || index >= count) throw new IllegalArgumentException("Shard: index " + index + " outside 0.." + (count - 1));
    }

    /** The shard {@code index} of {@code count} cut from a whole data set (x holds one example after another). */
    public static Shard of(float[] x, int[] labels, int[] xsize, int index, int count) {
        int features = Shape.of(xsize).sizeInt();
        if (count <= 0) throw new IllegalArgumentException("Shard: the number of shards must be positive, got " + count);
        if ((long) labels.length * features != x.length)
            throw new IllegalArgumentException("Shard: " + x.length + " inputs do not make " + labels.length + " examples of shape " + Arrays.toString(xsize));
        int n = index < labels.length ? (labels.length - index + count - 1) / count : 0;
        float[] sx = new float[n * features];
        int[] sy = new int[n];
        for (int i = 0; i < n; i++) {
            int src = index + i * count;
            System.arraycopy(x, src * features, sx, i * features, features);
            sy[i] = labels[src];
        }
        return new Shard(index, count, sx, sy, xsize.clone());
    }

    /** The number of examples. */
    public int size() { return labels.length; }

    /** How many whole local batches of this size the shard gives per epoch (a partial last one is dropped). */
    public int batches(int localBatch) { return size() / localBatch; }

    /** Local batch {@code step} (0-based) of epoch {@code epoch} (0-based), on the default backend in the default dtype. */
    public Batch batch(long seed, long epoch, int step, int localBatch) {
        if (step < 0 || step >= batches(localBatch))
            throw new IllegalArgumentException("Shard " + index + ": batch " + step + " of " + localBatch + " examples is past its "
                    + size() + " examples (" + batches(localBatch) + " batches)");
        int[] order = order(seed, epoch);
        int features = x.length / Math.max(1, labels.length);
        int[] dims = new int[xsize.length + 1];
        dims[0] = localBatch;
        System.arraycopy(xsize, 0, dims, 1, xsize.length);
        int[] y = new int[localBatch];
        float[] data = new float[localBatch * features];
        for (int i = 0; i < localBatch; i++) {
            int src = order[step * localBatch + i];
            System.arraycopy(x, src * features, data, i * features, features);
            y[i] = labels[src];
        }
        return new Batch(new Value(tensor(data, Shape.of(dims))), y);
    }

    /** The concatenation of local batch {@code step} of every shard, in shard order: the step's global batch. */
    public static Batch globalBatch(List<Shard> shards, long seed, long epoch, int step, int localBatch) {
        Shard first = shards.get(0);
        int features = Shape.of(first.xsize).sizeInt();
        int n = localBatch * shards.size();
        float[] data = new float[n * features];
        int[] y = new int[n];
        int[] dims = new int[first.xsize.length + 1];
        dims[0] = n;
        System.arraycopy(first.xsize, 0, dims, 1, first.xsize.length);
        for (int k = 0; k < shards.size(); k++) {
            Shard s = shards.get(k);
            int[] order = s.order(seed, epoch);
            for (int i = 0; i < localBatch; i++) {
                int src = order[step * localBatch + i];
                System.arraycopy(s.x, src * features, data, (k * localBatch + i) * features, features);
                y[k * localBatch + i] = s.labels[src];
            }
        }
        return new Batch(new Value(tensor(data, Shape.of(dims))), y);
    }

    /** The example order of an epoch: a Fisher–Yates permutation from (seed, shard index, epoch). */
    int[] order(long seed, long epoch) {
        int[] idx = new int[labels.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        SplittableRandom r = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1)) ^ (0xC2B2AE3D27D4EB4FL * (index + 1)));
        for (int i = idx.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = idx[i]; idx[i] = idx[j]; idx[j] = t;
        }
        return idx;
    }

    private static io.github.knetj.api.Tensor tensor(float[] data, Shape shape) {
        Backend backend = Defaults.backend();
        DType dtype = Defaults.dtype();
        if (dtype == DType.FLOAT32) return backend.memory().fromArray(data, shape);
        double[] d = new double[data.length];
        for (int i = 0; i < d.length; i++) d[i] = data[i];
        return backend.memory().fromArray(d, shape, dtype);
    }

    @Override public String toString() { return "Shard " + index + "/" + count + " (" + size() + " examples of " + Arrays.toString(xsize) + ")"; }
}
