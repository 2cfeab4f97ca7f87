package io.github.knetj.autograd;

import io.github.knetj.api.Conv2d;
import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Value;

import static io.github.knetj.autograd.AutoGrad.record;
import static io.github.knetj.autograd.Ops.*;

/**
 * Differentiable neural-network ops with Knet's names: {@code conv4 deconv4 pool unpool softmax logsoftmax nll
 * accuracy bce dropout batchnorm}, and embeddings, layer norm and attention. Images are NCHW, conv weights OIHW.
 */
public final class NNOps {
    private NNOps() {}

    // ---- convolution: three kernels, each the others' adjoint, so every order of derivative stays inside them -----

    /** y = w ⋆ x (cross-correlation), Knet's argument order: w (O,C,kh,kw), x (N,C,H,W). */
    public static Value conv4(Value w, Value x, Conv2d spec) {
        return conv4(x.backend().convolution().conv2d(x.data(), w.data(), spec), w, x, spec);
    }

    /** Records {@code out}, computed as w ⋆ x, as the conv4 op. */
    private static Value conv4(Tensor out, Value w, Value x, Conv2d spec) {
        return record("conv4", out, (g, y) -> new Value[]{
                w.tracked() ? convBackwardWeight(x, g, w.shape(), spec) : null,
                x.tracked() ? convBackwardInput(g, w, x.shape(), spec) : null}, w, x);
    }

    /**
     * y = w ⋆ x + b with b (1, O, 1, 1), or null for none: conv4 and the bias as one primitive
     * ({@link io.github.knetj.api.Fused#conv2d}, which a backend may fuse); the gradients are conv4's and, for b, dy
     * summed over the images and pixels.
     */
    public static Value conv4(Value w, Value x, Value b, Conv2d spec) {
        if (b == null) return conv4(w, x, spec);
        return conv4(x.backend().fused().conv2d(x.data(), w.data(), b.data(), spec), w, x, b, spec);
    }

    /**
     * Records {@code out}, computed as w ⋆ x + b, as the conv4 op with a bias. When w and b both need gradients they come
     * from one call ({@link io.github.knetj.api.Fused#conv2dBackwardWeightBias}, where a backend may sum db as it reads
     * dy for dW), recorded as the same two ops as apart.
     */
    private static Value conv4(Tensor out, Value w, Value x, Value b, Conv2d spec) {
        return record("conv4", out, (g, y) -> {
            if (!w.tracked() || !b.tracked()) return new Value[]{
                    w.tracked() ? convBackwardWeight(x, g, w.shape(), spec) : null,
                    x.tracked() ? convBackwardInput(g, w, x.shape(), spec) : null,
                    b.tracked() ? sumTo(g, b.shape()) : null};
            Tensor[] both = g.backend().fused().conv2dBackwardWeightBias(x.data(), g.data(), w.shape(), spec);
            Value dw = convBackwardWeight(both[0], x, g, w.shape(), spec);
            return new Value[]{dw, x.tracked() ? convBackwardInput(g, w, x.shape(), spec) : null, Ops.sumTo(both[1], g)};
        }, w, x, b);
    }

    /**
     * pool(conv4(w, x, b), window) in one call ({@link io.github.knetj.api.Fused#conv2dMaxPool}, which a backend may
     * fuse): the same two ops on the tape, so every gradient and every order of derivative is theirs; b may be null.
     */
    public static Value conv4pool(Value w, Value x, Value b, Conv2d spec, Pool2d window) {
        Tensor[] out = x.backend().fused().conv2dMaxPool(x.data(), w.data(), b == null ? null : b.data(), spec, window);
        Value y = b == null ? conv4(out[0], w, x, spec) : conv4(out[0], w, x, b, spec);
        return pool(out[1], y, window);
    }

    /** conv4 with stride 1, the given padding, no dilation. */
    public static Value conv4(Value w, Value x, int padding) { return conv4(w, x, Conv2d.of(1, padding, 1)); }

    public static Value conv4(Value w, Value x) { return conv4(w, x, Conv2d.defaults()); }

    /** ∂L/∂x of conv4 as a differentiable op (linear in dy and in w). */
    static Value convBackwardInput(Value dy, Value w, Shape xShape, Conv2d spec) {
        Tensor out = dy.backend().convolution().conv2dBackwardInput(dy.data(), w.data(), xShape, spec);
        return record("conv4_backward_input", out, (g, y) -> new Value[]{
                dy.tracked() ? conv4(w, g, spec) : null,
                w.tracked() ? convBackwardWeight(g, dy, w.shape(), spec) : null}, dy, w);
    }

    /** ∂L/∂w of conv4 as a differentiable op (linear in x and in dy). */
    static Value convBackwardWeight(Value x, Value dy, Shape wShape, Conv2d spec) {
        return convBackwardWeight(x.backend().convolution().conv2dBackwardWeight(x.data(), dy.data(), wShape, spec), x, dy, wShape, spec);
    }

    /** Records {@code out}, computed as ∂L/∂w of conv4 for x and dy, as that op. */
    private static Value convBackwardWeight(Tensor out, Value x, Value dy, Shape wShape, Conv2d spec) {
        return record("conv4_backward_weight", out, (g, y) -> new Value[]{
                x.tracked() ? convBackwardInput(dy, g, x.shape(), spec) : null,
                dy.tracked() ? conv4(g, x, spec) : null}, x, dy);
    }

    /**
     * Transposed convolution, the adjoint of conv4 wrt its input (Knet's {@code deconv4}): w (Cin,Cout,kh,kw) as in
     * PyTorch, x (N,Cin,H,W) → (N,Cout,H',W').
     */
    public static Value deconv4(Value w, Value x, Conv2d spec, int outputPadding) {
        return convBackwardInput(x, w, spec.transposedOutputShape(x.shape(), w.shape(), outputPadding, outputPadding), spec);
    }

    public static Value deconv4(Value w, Value x, Conv2d spec) { return deconv4(w, x, spec, 0); }

    // ---- pooling ---------------------------------------------------------------------------------------------------

    /** Max pooling (Knet's {@code pool} default mode). */
    public static Value pool(Value x, Pool2d spec) { return pool(x.backend().convolution().maxPool2d(x.data(), spec), x, spec); }

    /** Records {@code out}, computed as the max pooling of x, as the pool op. */
    private static Value pool(Tensor out, Value x, Pool2d spec) {
        return record("pool", out, (g, y) -> new Value[]{maxPoolBackward(g, x, spec)}, x);
    }

    /** Max pooling with a square window whose stride is the window. */
    public static Value pool(Value x, int window) { return pool(x, Pool2d.of(window)); }

    private static Value maxPoolBackward(Value dy, Value x, Pool2d spec) {
        Tensor out = x.backend().convolution().maxPool2dBackward(dy.data(), x.data(), spec);
        return record("pool_backward", out, (g, y) -> {
            throw new UnsupportedOperationException("pool: the second derivative of max pooling is not supported (shapes " + x.shape() + ", " + spec + ")");
        }, dy);
    }

    /** Average pooling (Knet's {@code pool(x; mode=1)}). */
    public static Value avgpool(Value x, Pool2d spec) {
        Tensor out = x.backend().fused().avgPool2d(x.data(), spec);
        return record("avgpool", out, (g, y) -> new Value[]{avgPoolBackward(g, x.shape(), spec)}, x);
    }

    public static Value avgpool(Value x, int window) { return avgpool(x, Pool2d.of(window)); }

    private static Value avgPoolBackward(Value dy, Shape xShape, Pool2d spec) {
        Tensor out = dy.backend().fused().avgPool2dBackward(dy.data(), xShape, spec);
        return record("avgpool_backward", out, (g, y) -> new Value[]{avgpool(g, spec)}, dy);
    }

    /** Knet's {@code unpool}: the inverse of average pooling, each element repeated over its window. */
    public static Value unpool(Value x, int window) {
        Pool2d spec = Pool2d.of(window);
        Shape s = x.shape();
        Shape big = Shape.of(s.dim(0), s.dim(1), s.dim(2) * window, s.dim(3) * window);
        return scale(avgPoolBackward(x, big, spec), window * window);
    }

    // ---- softmax and losses ----------------------------------------------------------------------------------------

    /**
     * e^x / Σ e^x along axis; dx = y ⊙ (g − Σ g ⊙ y): the backend's one-pass gradient, or differentiable ops when the
     * backward pass is itself recorded (higher orders).
     */
    public static Value softmax(Value x, int axis) {
        io.github.knetj.api.Checks.axis("softmax", x.shape(), axis);
        Tensor out = x.backend().fused().softmax(x.data(), axis);
        return record("softmax", out, (g, y) -> new Value[]{AutoGrad.recording() ? mul(y, sub(g, sum(mul(g, y), true, axis)))
                : new Value(x.backend().fused().softmaxBackward(y.data(), g.data(), axis))}, x);
    }

    /** x − logsumexp(x) along axis; dx = g − softmax(x) ⊙ Σ g. */
    public static Value logsoftmax(Value x, int axis) {
        io.github.knetj.api.Checks.axis("logsoftmax", x.shape(), axis);
        Tensor out = x.backend().fused().logSoftmax(x.data(), axis);
        return record("logsoftmax", out, (g, y) -> new Value[]{sub(g, mul(exp(y), sum(g, true, axis)))}, x);
    }

    /** Log-softmax over the classes of (N, C) scores. */
    public static Value logsoftmax(Value x) { return logsoftmax(x, -1); }

    public static Value softmax(Value x) { return softmax(x, -1); }

    /** x[i, labels[i]] of (N, C) values → (N). */
    public static Value pick(Value x, int[] labels) {
        checkLabels("pick", x, labels);
        Tensor out = x.backend().fused().pickClasses(x.data(), labels);
        int classes = x.shape().dim(1);
        return record("pick", out, (g, y) -> new Value[]{place(g, labels, classes)}, x);
    }

    private static Value place(Value g, int[] labels, int classes) {
        Tensor out = g.backend().fused().placeClasses(g.data(), labels, classes);
        return record("place", out, (h, y) -> new Value[]{pick(h, labels)}, g);
    }

    /** Mean negative log-likelihood of log-probabilities logp (N, C) at integer labels, as PyTorch's nll_loss. */
    public static Value nll(Value logp, int[] labels) { return neg(mean(pick(logp, labels))); }

    /** Cross-entropy of raw scores (N, C): nll(logsoftmax(scores)) — what Knet's {@code nll(scores, y)} computes. */
    public static Value crossEntropy(Value scores, int[] labels) {
        checkLabels("crossEntropy", scores, labels);
        return nll(logsoftmax(scores, 1), labels);
    }

    /**
     * PyTorch's cross-entropy with its two options: rows whose label is {@code ignoreIndex} add nothing and are not
     * counted in the mean, and with label smoothing ε each row's loss is (1 − ε)·(−log p[label]) + ε·mean_c(−log p[c]).
     */
    public static Value crossEntropy(Value scores, int[] labels, int ignoreIndex, double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new IllegalArgumentException("crossEntropy: label_smoothing must be in [0, 1], got " + labelSmoothing);
        if (scores.shape().rank() != 2 || scores.shape().dim(0) != labels.length)
            throw new IllegalArgumentException("crossEntropy: expected scores (N, C) with N = " + labels.length + " labels, got " + scores.shape() + " " + scores.dtype());
        int n = labels.length, c = scores.shape().dim(1), kept = 0;
        int[] picked = new int[n];
        double[] weight = new double[n];
        for (int i = 0; i < n; i++) {
            if (labels[i] == ignoreIndex) continue;
            if (labels[i] < 0 || labels[i] >= c)
                throw new IllegalArgumentException("crossEntropy: label " + labels[i] + " at row " + i + " is outside [0, " + c + ") and is not ignore_index " + ignoreIndex);
            picked[i] = labels[i];
            weight[i] = 1;
            kept++;
        }
        Value lp = logsoftmax(scores, 1);
        Value w = value(scores.backend().memory().fromArray(weight, Shape.of(n), scores.dtype()));
        Value nll = scale(sum(mul(pick(lp, picked), w)), -1.0 / kept);
        if (labelSmoothing == 0) return nll;
        Value uniform = scale(sum(mul(sum(lp, false, 1), w)), -1.0 / ((double) kept * c));
        return add(scale(nll, 1 - labelSmoothing), scale(uniform, labelSmoothing));
    }

    /** The fraction of rows of scores (N, C) whose largest entry is at the label. */
    public static double accuracy(Value scores, int[] labels) {
        checkLabels("accuracy", scores, labels);
        int[] predicted = scores.backend().fused().argmax(scores.data(), 1);
        int right = 0;
        for (int i = 0; i < labels.length; i++) if (predicted[i] == labels[i]) right++;
        return (double) right / labels.length;
    }

    /** One label in [0, C) per row of x (N, C), or an error naming the op — the same on every backend. */
    private static void checkLabels(String op, Value x, int[] labels) {
        if (x.shape().rank() != 2 || x.shape().dim(0) != labels.length)
            throw new IllegalArgumentException(op + ": expected scores (N, C) with N = " + labels.length + " labels, got " + x.shape() + " " + x.dtype());
        io.github.knetj.api.Checks.indices(op + " label", labels, x.shape().dim(1));
    }

    /** Binary cross-entropy of logits with targets in [0, 1], stable: mean(softplus(x) − y·x) (Knet's {@code bce}). */
    public static Value bce(Value logits, Value targets) { return mean(sub(softplus(logits), mul(targets, logits))); }

    /** Logistic loss with labels in {−1, 1}: mean(log(1 + e^(−y·x))). */
    public static Value logistic(Value scores, Value labels) { return mean(softplus(neg(mul(labels, scores)))); }

    /** Mean squared error. */
    public static Value mse(Value x, Value target) { return mean(square(sub(x, target))); }

    // ---- regularisation and normalisation --------------------------------------------------------------------------

    /**
     * Inverted dropout: zeroes each element with probability p and scales the rest by 1/(1−p). As in Knet it acts
     * only while gradients are being recorded (inside diff); call {@link #dropout(Value, double, long, boolean)} to say.
     */
    public static Value dropout(Value x, double p, long seed) { return dropout(x, p, seed, AutoGrad.recording()); }

    public static Value dropout(Value x, double p, long seed, boolean training) {
        if (!training || p == 0) return x;
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("dropout: p must be in [0, 1), got " + p);
        Tensor keep = x.backend().random().bernoulli(x.shape(), x.dtype(), 1 - p, seed);
        return mul(x, scale(value(keep), 1 / (1 - p)));
    }

    /**
     * Batch normalisation over every axis but the channel axis 1: (x − μ)/√(σ² + ε)·γ + β with the batch's biased
     * variance while training (updating {@code stats} as PyTorch does, unbiased variance, momentum), else the running
     * statistics.
     */
    public static Value batchnorm(Value x, Value gamma, Value beta, BatchNormStats stats, boolean training, double momentum, double eps) {
        int rank = x.shape().rank();
        int[] axes = rank == 2 ? new int[]{0} : rank == 4 ? new int[]{0, 2, 3} : null;
        if (axes == null) throw new IllegalArgumentException("batchnorm: expected (N,C) or (N,C,H,W), got " + x.shape());
        int c = x.shape().dim(1);
        Shape bshape = rank == 2 ? Shape.of(1, c) : Shape.of(1, c, 1, 1);
        Shape vector = Shape.of(c);
        if (training && gamma != null && beta != null && gamma.shape().equals(vector) && beta.shape().equals(vector)) {
            // One node on the backend's kernel (Fused#batchNorm): about ten element-wise passes fewer each way.
            Tensor[] f = x.backend().fused().batchNorm(x.data(), gamma.data(), beta.data(), eps);
            if (stats != null) stats.update(f[1], f[2], x.shape().size() / c, momentum);
            return record("batchnorm", f[0], (g, y) -> batchnormBack(g, x, gamma, f[1], f[2], eps, axes, bshape), x, gamma, beta);
        }
        Value mu, var;
        if (training) {
            mu = mean(x, true, axes);
            var = mean(square(sub(x, mu)), true, axes);
            if (stats != null) {
                long n = x.shape().size() / c;
                stats.update(mu.data(), var.data(), n, momentum);
            }
        } else {
            if (stats == null) throw new IllegalArgumentException("batchnorm: evaluation mode needs running statistics, got none (x " + x.shape() + ")");
            mu = reshape(value(stats.mean()), bshape);
            var = reshape(value(stats.var()), bshape);
        }
        Value y = div(sub(x, mu), sqrt(shift(var, eps)));
        if (gamma != null) y = mul(y, reshape(gamma, bshape));
        return beta == null ? y : add(y, reshape(beta, bshape));
    }

    /**
     * {dx, dγ, dβ} of a training-mode batch norm: the backend's kernel, or while a backward pass is itself recorded
     * (higher orders), the same equations (Fused#batchNormBackward) composed from differentiable ops.
     */
    private static Value[] batchnormBack(Value g, Value x, Value gamma, Tensor mean, Tensor var, double eps, int[] axes, Shape bshape) {
        if (AutoGrad.recording() && (g.tracked() || x.tracked() || gamma.tracked())) {
            double m = (double) x.shape().size() / gamma.shape().size();
            Value xc = sub(x, mean(x, true, axes)), std = sqrt(shift(mean(square(xc), true, axes), eps)), xhat = div(xc, std);
            Value dbeta = sum(g, true, axes), dgamma = sum(mul(g, xhat), true, axes);
            Value dx = mul(sub(sub(g, scale(dbeta, 1 / m)), mul(xhat, scale(dgamma, 1 / m))), div(reshape(gamma, bshape), std));
            return new Value[]{dx, reshape(dgamma, gamma.shape()), reshape(dbeta, gamma.shape())};
        }
        Tensor[] d = g.backend().fused().batchNormBackward(g.data(), x.data(), mean, var, gamma.data(), eps);
        return new Value[]{value(d[0]), value(d[1]), value(d[2])};
    }

    /** Layer normalisation over the last axis: (x − μ)/√(σ² + ε)·γ + β; γ and β may be null (none). */
    public static Value layernorm(Value x, Value gamma, Value beta, double eps) {
        Shape vector = x.shape().rank() == 0 ? null : Shape.of(x.shape().dim(-1));
        if (vector != null && (gamma == null || gamma.shape().equals(vector)) && (beta == null || beta.shape().equals(vector))) {
            // One node on the backend's kernel (Fused#layerNorm): about six element-wise passes fewer forward, fifteen backward.
            Tensor[] f = x.backend().fused().layerNorm(x.data(), gamma == null ? null : gamma.data(), beta == null ? null : beta.data(), eps);
            return record("layernorm", f[0], (g, y) -> layernormBack(g, x, gamma, f[1], f[2], eps), x, gamma, beta);
        }
        Value mu = mean(x, true, -1);
        Value var = mean(square(sub(x, mu)), true, -1);
        Value y = div(sub(x, mu), sqrt(shift(var, eps)));
        if (gamma != null) y = mul(y, gamma);
        return beta == null ? y : add(y, beta);
    }

    /**
     * {dx, dγ, dβ} of a layer norm: the backend's kernel, or while a backward pass is itself recorded (higher orders),
     * the same equations (Fused#layerNormBackward) composed from differentiable ops.
     */
    private static Value[] layernormBack(Value g, Value x, Value gamma, Tensor mean, Tensor var, double eps) {
        if (AutoGrad.recording() && (g.tracked() || x.tracked() || (gamma != null && gamma.tracked()))) {
            Value xc = sub(x, mean(x, true, -1)), std = sqrt(shift(mean(square(xc), true, -1), eps)), xhat = div(xc, std);
            Value gh = gamma == null ? g : mul(g, gamma);
            Value dx = div(sub(sub(gh, mean(gh, true, -1)), mul(xhat, mean(mul(gh, xhat), true, -1))), std);
            Value dgamma = gamma == null ? null : sumTo(mul(g, xhat), gamma.shape());
            return new Value[]{dx, dgamma, sumTo(g, Shape.of(x.shape().dim(-1)))};
        }
        Tensor[] d = g.backend().fused().layerNormBackward(g.data(), x.data(), mean, var, gamma == null ? null : gamma.data(), eps);
        return new Value[]{value(d[0]), d[1] == null ? null : value(d[1]), value(d[2])};
    }

    // ---- embeddings and attention ----------------------------------------------------------------------------------

    /** Rows of table (V, D) at indices, shaped (dims..., D): an embedding lookup. */
    public static Value embed(Value table, int[] indices, int... dims) {
        Tensor out = table.backend().nn().gatherRows(table.data(), indices);
        int rows = table.shape().dim(0);
        Value flat = record("embed", out, (g, y) -> new Value[]{scatterRows(g, indices, rows)}, table);
        int[] shape = java.util.Arrays.copyOf(dims.length == 0 ? new int[]{indices.length} : dims, (dims.length == 0 ? 1 : dims.length) + 1);
        shape[shape.length - 1] = table.shape().dim(1);
        return reshape(flat, shape);
    }

    private static Value scatterRows(Value g, int[] indices, int rows) {
        Tensor out = g.backend().nn().scatterAddRows(g.data(), indices, rows);
        return record("scatter_rows", out, (h, y) -> new Value[]{embed(h, indices)}, g);
    }

    /** softmax(q kᵀ/√d) v for q (B,Tq,d), k (B,Tk,d), v (B,Tk,dv); causal masks keys after each query. */
    public static Value attention(Value q, Value k, Value v, boolean causal) {
        int d = q.shape().dim(-1);
        Value scores = scale(matmul(q, k, false, true), 1 / Math.sqrt(d));
        if (causal) {
            int tq = q.shape().dim(1), tk = k.shape().dim(1);
            double[] mask = new double[tq * tk];
            for (int i = 0; i < tq; i++) for (int j = i + 1; j < tk; j++) mask[i * tk + j] = Double.NEGATIVE_INFINITY;
            scores = add(scores, new Value(q.backend().memory().fromArray(mask, Shape.of(tq, tk), q.dtype())));
        }
        return matmul(softmax(scores, -1), v);
    }
}
