package io.github.knetj.layers;

import io.github.knetj.api.Conv2d;
import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AutoGrad;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.BatchNormStats;
import io.github.knetj.autograd.NNOps;
import io.github.knetj.autograd.Ops;
import io.github.knetj.data.Batch;

import java.util.function.Function;

import static io.github.knetj.autograd.Ops.*;

/**
 * Knet's names with Knet's meanings, in one place, for code ported from Knet.jl: where KnetJ's own op of the same
 * name means something else, the method here does what Knet's does.
 * <ul>
 *   <li>{@link #nll(Value, int[])} takes <b>raw scores</b> and is the cross-entropy, as Knet's {@code nll(scores, y)};
 *       KnetJ's {@link NNOps#nll} and {@link Losses#nll} take log-probabilities, as PyTorch's {@code nll_loss}.</li>
 *   <li>{@link #conv4(Value, Value, int, int, int, int, double)} with {@code mode} 0 is a true convolution (the kernel
 *       flipped), Knet's default; mode 1 is the cross-correlation that {@link NNOps#conv4} computes.</li>
 *   <li>{@link #pool(Value, int, int, int, int)} with {@code mode} 0 (max), 1 (average, padding counted) and 2 (average,
 *       padding not counted); {@link #unpool} with any stride and padding.</li>
 *   <li>{@link #bnmoments()}, {@link #bnparams(int)} and {@link #batchnorm(Value, Moments, Value)}, Knet's batch-norm API.</li>
 *   <li>{@link #logp}, {@link #accuracy}, {@link #zeroone}, {@link #cat1d}, {@link #gradloss}, {@link #bilinear} (the
 *       deconvolution initialiser); {@link #bilinearForm} is PyTorch's {@code F.bilinear}, which Knet lacks.</li>
 * </ul>
 * What differs from Knet everywhere, here too: labels are 0-based, data is batch-first ((N, C) scores, NCHW images).
 */
public final class Knet {
    private Knet() {}

    // ---- losses and metrics --------------------------------------------------------------------------------------

    /** Knet's {@code nll(scores, labels)}: −mean log softmax(scores)[i, yᵢ] of raw scores (N, C), labels in [0, C). */
    public static Value nll(Value scores, int[] labels) { return Losses.crossEntropy(scores, labels); }

    /** Knet's {@code nll(model, data)}: the mean of {@link #nll(Value, int[])} over every example of a data set. */
    public static double nll(Layer model, Iterable<Batch> data) {
        double sum = 0;
        long n = 0;
        for (Batch b : data) {
            sum += nll(model.apply(b.x()), b.labels()).item() * b.size();
            n += b.size();
        }
        if (n == 0) throw new IllegalArgumentException("nll: the data set has no examples");
        return sum / n;
    }

    /** Knet's {@code accuracy(scores, labels)}: the fraction of rows whose largest score is at the label. */
    public static double accuracy(Value scores, int[] labels) { return Losses.accuracy(scores, labels); }

    /** Knet's {@code accuracy(model, data)}. */
    public static double accuracy(Layer model, Iterable<Batch> data) { return Losses.accuracy(model, data); }

    /** Knet's {@code zeroone(scores, labels)}: 1 − accuracy, the error rate. */
    public static double zeroone(Value scores, int[] labels) { return 1 - accuracy(scores, labels); }

    /** Knet's {@code logp(x)}: log-probabilities over the last axis (Knet's dims=1 is the class axis; here it is last). */
    public static Value logp(Value x) { return NNOps.logsoftmax(x, -1); }

    /** Knet's {@code logp(x; dims)}, the normalising axis given. */
    public static Value logp(Value x, int axis) { return NNOps.logsoftmax(x, axis); }

    // ---- shapes and products ---------------------------------------------------------------------------------------

    /** Knet's {@code cat1d(xs...)}: every value flattened and joined into one vector. */
    public static Value cat1d(Value... xs) {
        if (xs.length == 0) throw new IllegalArgumentException("cat1d: needs at least one value");
        Value[] flat = new Value[xs.length];
        for (int i = 0; i < xs.length; i++) flat[i] = reshape(xs[i], Shape.of((int) xs[i].shape().size()));
        return flat.length == 1 ? flat[0] : concat(0, flat);
    }

    /**
     * Knet's {@code bilinear(T, f, f, C, C)}: weights that make a transposed convolution (stride f) upsample each
     * channel by bilinear interpolation, for initialising deconvolution layers (from the FCN code Knet adapted). The
     * kernel is sz×sz with sz = 2f − f mod 2 and k[r][c] = (1 − |r − m|/f)(1 − |c − m|/f), m = f − 1/2 for even sz
     * and f − 1 for odd, on the diagonal channel → same channel, zeros elsewhere; in {@link NNOps#deconv4}'s layout
     * (Cin, Cout, sz, sz), on the default backend and dtype.
     */
    public static io.github.knetj.api.Tensor bilinear(int f, int channels) {
        if (f < 1 || channels < 1) throw new IllegalArgumentException("bilinear: the factor and channels must be >= 1, got " + f + ", " + channels);
        int sz = 2 * f - f % 2;
        double m = sz % 2 == 1 ? f - 1 : f - 0.5;
        double[] w = new double[channels * channels * sz * sz];
        for (int c = 0; c < channels; c++)
            for (int r = 0; r < sz; r++)
                for (int q = 0; q < sz; q++) w[((c * channels + c) * sz + r) * sz + q] = (1 - Math.abs(r - m) / f) * (1 - Math.abs(q - m) / f);
        return io.github.knetj.autograd.Defaults.backend().memory().fromArray(w, Shape.of(channels, channels, sz, sz), io.github.knetj.autograd.Defaults.dtype());
    }

    /**
     * y[n, o] = Σᵢⱼ x1[n, i]·W[o, i, j]·x2[n, j] + b[o], a bilinear form of two inputs: PyTorch's {@code F.bilinear},
     * <b>not</b> Knet's {@link #bilinear(int, int)} (an initialiser). x1 (N, I), x2 (N, J), W (O, I, J), b (O) or null.
     */
    public static Value bilinearForm(Value x1, Value x2, Value w, Value b) {
        Shape s1 = x1.shape(), s2 = x2.shape(), sw = w.shape();
        if (s1.rank() != 2 || s2.rank() != 2 || sw.rank() != 3 || s1.dim(0) != s2.dim(0) || sw.dim(1) != s1.dim(1) || sw.dim(2) != s2.dim(1))
            throw new IllegalArgumentException("bilinear: expected x1 (N, I), x2 (N, J) and W (O, I, J), got x1 " + s1 + ", x2 " + s2 + ", W " + sw);
        int n = s1.dim(0), o = sw.dim(0), i = sw.dim(1), j = sw.dim(2);
        // x1 · W viewed as (I, O·J) gives (N, O, J); a product with x2 and a sum over J finish the form.
        Value x1w = reshape(matmul(x1, reshape(permute(w, 1, 0, 2), i, o * j)), n, o, j);
        Value y = sum(mul(x1w, reshape(x2, n, 1, j)), false, 2);
        return b == null ? y : add(y, b);
    }

    /** The result of {@link #gradloss}: the gradient and the loss. */
    public record GradLoss(Value grad, double loss) {}

    /** Knet's {@code gradloss(f)}: a function giving both ∂f/∂x and f(x) from one forward and backward pass. */
    public static Function<Value, GradLoss> gradloss(Function<Value, Value> f) {
        return x -> {
            Value p = x.tracked() ? x : new Param(x.data());
            Tape t = AutoGrad.diff(() -> f.apply(p));
            Value g = t.grad(p);
            return new GradLoss(g != null ? g : zerosLike(p), t.value());
        };
    }

    // ---- convolution and pooling with Knet's modes ---------------------------------------------------------------

    /**
     * Knet's {@code conv4(w, x; padding, stride, dilation, mode, alpha)}: mode 0 is a convolution (w flipped in both
     * spatial axes, Knet's and cuDNN's default), mode 1 a cross-correlation ({@link NNOps#conv4}); the result is
     * scaled by alpha. w (O, C, kh, kw), x (N, C, H, W).
     */
    public static Value conv4(Value w, Value x, int padding, int stride, int dilation, int mode, double alpha) {
        Value k = switch (mode) {
            case 0 -> flip(flip(w, 2), 3);
            case 1 -> w;
            default -> throw new IllegalArgumentException("conv4: mode must be 0 (convolution) or 1 (cross-correlation), got " + mode);
        };
        Value y = NNOps.conv4(k, x, Conv2d.of(stride, padding, dilation));
        return alpha == 1 ? y : scale(y, alpha);
    }

    /** Knet's {@code conv4(w, x)} with its defaults: mode 0 (a true convolution), no padding, stride 1. */
    public static Value conv4(Value w, Value x) { return conv4(w, x, 0, 1, 1, 0, 1); }

    /** x reversed along one axis, as slices joined back to front (so it is differentiable like any concat). */
    public static Value flip(Value x, int axis) {
        int n = x.shape().dim(axis);
        if (n == 1) return x;
        Value[] parts = new Value[n];
        for (int i = 0; i < n; i++) parts[i] = slice(x, axis, n - 1 - i, n - i);
        return concat(axis, parts);
    }

    /**
     * Knet's {@code pool(x; window, padding, stride, mode)}: mode 0 max, 1 average counting padded cells in the
     * divisor, 2 average not counting them. The stride is the window unless given (Knet's default).
     */
    public static Value pool(Value x, int window, int padding, int stride, int mode) {
        return switch (mode) {
            case 0 -> NNOps.pool(x, Pool2d.of(window, stride, padding, true));
            case 1 -> NNOps.avgpool(x, Pool2d.of(window, stride, padding, true));
            case 2 -> NNOps.avgpool(x, Pool2d.of(window, stride, padding, false));
            default -> throw new IllegalArgumentException("pool: mode must be 0 (max), 1 (average with padding) or 2 (average without), got " + mode);
        };
    }

    /** Knet's {@code pool(x)}: a 2×2 max over non-overlapping windows. */
    public static Value pool(Value x) { return pool(x, 2, 0, 2, 0); }

    /**
     * Knet's {@code unpool(x; window, padding, stride)}: each input spread evenly back over its window, times the window
     * area, so that average pooling undoes it: window·window·(the adjoint of average pooling counting padding). The
     * output is ((H−1)·stride + window − 2·padding) high. The adjoint is taken by differentiating
     * ⟨avgpool(z), x⟩ in z, which inside {@code diff} is recorded like any op, so unpool has gradients of every order.
     */
    public static Value unpool(Value x, int window, int padding, int stride) {
        if (x.shape().rank() != 4) throw new IllegalArgumentException("unpool: expected x (N, C, H, W), got " + x.shape());
        Shape s = x.shape();
        int h = (s.dim(2) - 1) * stride + window - 2 * padding, w = (s.dim(3) - 1) * stride + window - 2 * padding;
        Pool2d spec = Pool2d.of(window, stride, padding, true);
        Shape big = Shape.of(s.dim(0), s.dim(1), h, w);
        if (!spec.outputShape(big).equals(s))
            throw new IllegalArgumentException("unpool: window " + window + ", padding " + padding + ", stride " + stride + " do not invert to " + s + " from " + big);
        Param z = new Param(x.backend().memory().zeros(big, x.dtype()));
        return scale(AutoGrad.diff(() -> sum(mul(NNOps.avgpool(z, spec), x))).grad(z), window * window);
    }

    /** Knet's {@code unpool(x)}: window 2, stride 2, no padding. */
    public static Value unpool(Value x) { return unpool(x, 2, 0, 2); }

    // ---- batch normalisation, Knet's API ------------------------------------------------------------------------

    /**
     * Knet's {@code bnmoments(momentum=0.1)}: the running mean and variance of a batch norm, created at the first
     * training call with the input's channel count (mean 0, variance 1).
     */
    public static final class Moments {
        private final double momentum;
        private BatchNormStats stats;

        Moments(double momentum) {
            if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException("bnmoments: momentum must be in [0, 1], got " + momentum);
            this.momentum = momentum;
        }

        public double momentum() { return momentum; }

        /** The running statistics, or null before the first training call. */
        public BatchNormStats stats() { return stats; }

        BatchNormStats statsFor(Value x) {
            int c = x.shape().dim(1);
            if (stats == null) stats = new BatchNormStats(x.backend().memory().zeros(Shape.of(c), x.dtype()), x.backend().memory().ones(Shape.of(c), x.dtype()));
            if (stats.mean().shape().dim(0) != c)
                throw new IllegalArgumentException("batchnorm: moments hold " + stats.mean().shape().dim(0) + " channels, input " + x.shape() + " has " + c);
            return stats;
        }

        @Override public String toString() { return "bnmoments(momentum=" + momentum + (stats == null ? "" : ", channels=" + stats.mean().shape().dim(0)) + ")"; }
    }

    public static Moments bnmoments() { return new Moments(0.1); }

    public static Moments bnmoments(double momentum) { return new Moments(momentum); }

    /** Knet's {@code bnparams(C)}: one parameter vector of 2C, the scales γ (ones) then the shifts β (zeros). */
    public static Param bnparams(int channels) {
        double[] v = new double[2 * channels];
        java.util.Arrays.fill(v, 0, channels, 1);
        return Ops.param(v, 2 * channels);
    }

    /**
     * Knet's {@code batchnorm(x, moments, params; training)}: (x − μ)/√(σ² + 1e-5)·γ + β over every axis but 1, with
     * γ and β the halves of {@code params} ({@link #bnparams}); training as Knet decides it (inside diff).
     */
    public static Value batchnorm(Value x, Moments moments, Value params) {
        return batchnorm(x, moments, params, AutoGrad.recording());
    }

    public static Value batchnorm(Value x, Moments moments, Value params, boolean training) {
        int c = x.shape().dim(1);
        if (params != null && !params.shape().equals(Shape.of(2 * c)))
            throw new IllegalArgumentException("batchnorm: params must be (2C) = (" + 2 * c + ") for input " + x.shape() + ", got " + params.shape());
        Value gamma = params == null ? null : slice(params, 0, 0, c), beta = params == null ? null : slice(params, 0, c, 2 * c);
        return NNOps.batchnorm(x, gamma, beta, moments.statsFor(x), training, moments.momentum(), 1e-5);
    }
}
