package io.github.knetj.data;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.HostTensor;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Defaults;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Knet's {@code minibatch(x, y, batchsize; shuffle, partial, xsize, ysize)}: a dataset cut into batches, iterated once
 * per epoch. The examples carry integer labels, float targets ({@link #of(float[], float[], int[], int[], int)}) or
 * nothing ({@link #of(float[], int[], int)}). Each {@link #iterator()} is a new epoch: with {@link #shuffle(long)} the examples are re-shuffled, from the
 * seed and the epoch number, so a run is reproducible and every epoch sees a different order. A batch's tensor is
 * made when {@code next()} is called, on {@link Defaults#backend()} in {@link Defaults#dtype()}, so that a training
 * step's scope owns it.
 * <pre>{@code
 * Minibatch dtrn = Minibatch.of(images, labels, new int[]{1, 28, 28}, 100).shuffle(1);
 * for (Batch b : dtrn) { ... b.x() (100, 1, 28, 28), b.labels() ... }
 * }</pre>
 */
public final class Minibatch implements Iterable<Batch> {
    private final float[] x;
    /** Integer labels, or null. */
    private final int[] y;
    /** Float targets, ysize values per example, or null. */
    private final float[] targets;
    private final int[] ysize;
    private final int[] xsize;
    private final int batchSize;
    private final int features;
    private final int n;
    /** The dataset as a host tensor sharing x, made on first use (see {@link #table}). */
    private volatile Tensor table;
    /** The last backend found not to be a host backend, so that it is asked once. */
    private volatile Backend deviceBackend;
    private final Long seed;
    private final boolean partial;
    private final AtomicLong epochs;

    private Minibatch(float[] x, int[] y, float[] targets, int[] ysize, int[] xsize, int batchSize, Long seed, boolean partial, AtomicLong epochs) {
        this.x = x;
        this.y = y;
        this.targets = targets;
        this.ysize = ysize;
        this.xsize = xsize;
        this.batchSize = batchSize;
        this.features = Shape.of(xsize).sizeInt();
        this.n = x.length / features;
        this.seed = seed;
        this.partial = partial;
        this.epochs = epochs;
    }

    /**
     * Batches of {@code batchSize} examples, in order, dropping a partial last batch. {@code x} holds one example after
     * another, each of shape {@code xsize} (Knet's xsize without the batch axis: {1, 28, 28} for LeNet, {784} for an
     * MLP); {@code y} holds one label per example. The arrays are shared, not copied.
     */
    public static Minibatch of(float[] x, int[] y, int[] xsize, int batchSize) {
        int features = check(x, xsize, batchSize);
        if ((long) y.length * features != x.length)
            throw new IllegalArgumentException("minibatch: " + x.length + " inputs do not make " + y.length + " examples of shape "
                    + Arrays.toString(xsize) + " (" + (long) y.length * features + " values expected)");
        return new Minibatch(x, y, null, null, xsize.clone(), batchSize, null, false, new AtomicLong());
    }

    /**
     * Batches with float targets (regression, autoencoders): {@code y} holds one target of shape {@code ysize} per
     * example ({1} for one number), and each {@link Batch#targets()} is (n, ysize...) (Knet's {@code ysize}).
     */
    public static Minibatch of(float[] x, float[] y, int[] xsize, int[] ysize, int batchSize) {
        int features = check(x, xsize, batchSize);
        int outputs = Shape.of(ysize).sizeInt();
        if (outputs == 0) throw new IllegalArgumentException("minibatch: ysize " + Arrays.toString(ysize) + " has no elements");
        long examples = x.length / features;
        if (x.length % features != 0 || (long) y.length != examples * outputs)
            throw new IllegalArgumentException("minibatch: " + x.length + " inputs of shape " + Arrays.toString(xsize) + " and " + y.length
                    + " targets of shape " + Arrays.toString(ysize) + " do not make the same number of examples");
        return new Minibatch(x, null, y, ysize.clone(), xsize.clone(), batchSize, null, false, new AtomicLong());
    }

    /** Batches of inputs alone (a GAN's real images, an unsupervised model): labels and targets are null. */
    public static Minibatch of(float[] x, int[] xsize, int batchSize) {
        int features = check(x, xsize, batchSize);
        if (x.length % features != 0)
            throw new IllegalArgumentException("minibatch: " + x.length + " inputs are not a whole number of examples of shape " + Arrays.toString(xsize));
        return new Minibatch(x, null, null, null, xsize.clone(), batchSize, null, false, new AtomicLong());
    }

    private static int check(float[] x, int[] xsize, int batchSize) {
        if (batchSize <= 0) throw new IllegalArgumentException("minibatch: batch size must be positive, got " + batchSize);
        int features = Shape.of(xsize).sizeInt();
        if (features == 0) throw new IllegalArgumentException("minibatch: xsize " + Arrays.toString(xsize) + " has no elements");
        return features;
    }

    /** The same batches, shuffled with this seed, re-shuffled every epoch. */
    public Minibatch shuffle(long seed) { return new Minibatch(x, y, targets, ysize, xsize, batchSize, seed, partial, new AtomicLong()); }

    /** Whether a last batch smaller than the batch size is kept (Knet's {@code partial}); false by default. */
    public Minibatch partial(boolean keep) { return new Minibatch(x, y, targets, ysize, xsize, batchSize, seed, keep, new AtomicLong()); }

    /** The number of batches per epoch. */
    public int size() { return partial ? (n + batchSize - 1) / batchSize : n / batchSize; }

    /** The number of examples per epoch (those in dropped partial batches not counted). */
    public int examples() { return partial ? n : size() * batchSize; }

    public int batchSize() { return batchSize; }

    /** The shape of one example. */
    public int[] xsize() { return xsize.clone(); }

    /** The shape of one float target, or null when the batches carry labels or nothing. */
    public int[] ysize() { return ysize == null ? null : ysize.clone(); }

    /** The next epoch's batches. */
    @Override public Iterator<Batch> iterator() { return epoch(epochs.getAndIncrement()); }

    /** The batches of epoch {@code e} (0-based), whatever epochs came before: the order depends only on seed and e. */
    public Iterator<Batch> epoch(long e) {
        int[] order = order(e);
        int batches = size();
        return new Iterator<>() {
            private int next;

            @Override public boolean hasNext() { return next < batches; }

            @Override public Batch next() {
                if (!hasNext()) throw new NoSuchElementException("minibatch: epoch " + e + " has " + batches + " batches");
                int start = next++ * batchSize;
                return batch(order, start, Math.min(start + batchSize, order.length));
            }
        };
    }

    /**
     * x as one (examples, features) tensor on {@code backend}, when that backend keeps tensors in Java arrays (then it
     * shares x); null on device backends, which get each batch copied in instead of the whole dataset.
     */
    private Tensor table(Backend backend) {
        Tensor t = table;
        if (t != null && t.backend() == backend) return t;
        if (backend == deviceBackend) return null;
        if (!(backend.fused().adopt(new float[1], Shape.of(1)) instanceof HostTensor)) {
            deviceBackend = backend;
            return null;
        }
        t = backend.fused().adopt(x, Shape.of(n, features));
        table = t;
        return t;
    }

    /** The example order of epoch e: identity without shuffling, else a Fisher–Yates permutation from (seed, e). */
    private int[] order(long e) {
        int[] idx = new int[n];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        if (seed == null) return idx;
        SplittableRandom r = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (e + 1)));
        for (int i = idx.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = idx[i]; idx[i] = idx[j]; idx[j] = t;
        }
        return idx;
    }

    private Batch batch(int[] order, int from, int to) {
        int n = to - from;
        int[] dims = new int[xsize.length + 1];
        dims[0] = n;
        System.arraycopy(xsize, 0, dims, 1, xsize.length);
        int[] rows = Arrays.copyOfRange(order, from, to);
        int[] labels = null;
        if (y != null) {
            labels = new int[n];
            for (int i = 0; i < n; i++) labels[i] = y[rows[i]];
        }
        Backend backend = Defaults.backend();
        DType dtype = Defaults.dtype();
        Value xs;
        if (dtype == DType.FLOAT32 && table(backend) instanceof HostTensor t) {
            // On a host backend the dataset is a tensor already (its array, not a copy), and the backend gathers the rows.
            xs = new Value(backend.layout().reshape(backend.nn().gatherRows(t, rows), Shape.of(dims)));
        } else {
            xs = rows(x, features, rows, dims, backend, dtype);
        }
        Value ys = null;
        if (targets != null) {
            int[] ydims = new int[ysize.length + 1];
            ydims[0] = n;
            System.arraycopy(ysize, 0, ydims, 1, ysize.length);
            ys = rows(targets, Shape.of(ysize).sizeInt(), rows, ydims, backend, dtype);
        }
        return new Batch(xs, labels, ys);
    }

    /** The given rows of a row-major table of {@code width} columns, as a new constant of shape dims. */
    private static Value rows(float[] table, int width, int[] rows, int[] dims, Backend backend, DType dtype) {
        Shape shape = Shape.of(dims);
        if (dtype == DType.FLOAT32) {
            float[] data = new float[rows.length * width];
            for (int i = 0; i < rows.length; i++) System.arraycopy(table, rows[i] * width, data, i * width, width);
            return new Value(backend.fused().adopt(data, shape));   // data is ours: no second copy
        }
        double[] data = new double[rows.length * width];
        for (int i = 0; i < rows.length; i++) for (int k = 0; k < width; k++) data[i * width + k] = table[rows[i] * width + k];
        return new Value(backend.memory().fromArray(data, shape, dtype));
    }
}
