package io.github.knetj.autograd;

import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.Fused;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;

/**
 * The running mean and variance of a batch-norm layer, updated while training as PyTorch does:
 * running = (1 − momentum)·running + momentum·batch, with the unbiased batch variance.
 */
public final class BatchNormStats {
    private Tensor mean;
    private Tensor var;

    /** Starts at mean 0 and variance 1 for {@code channels} channels. */
    public BatchNormStats(Tensor zeros, Tensor ones) { this.mean = zeros; this.var = ones; }

    public Tensor mean() { return mean; }

    public Tensor var() { return var; }

    /** Replaces both statistics, for loading a saved model. */
    public void set(Tensor mean, Tensor var) { this.mean = mean; this.var = var; }

    /** Folds in a batch's mean and biased variance (any shape with one entry per channel) over n elements per channel. */
    void update(Tensor batchMean, Tensor batchVar, long n, double momentum) {
        Fused e = mean.backend().fused();
        Shape s = mean.shape();
        Tensor bm = batchMean.backend().layout().reshape(batchMean, s);
        Tensor bv = e.affine(batchVar.backend().layout().reshape(batchVar, s), n / Math.max(1.0, n - 1.0), 0);
        Tensor oldMean = mean, oldVar = var;
        mean = e.binary(BinaryOp.ADD, e.affine(mean, 1 - momentum, 0), e.affine(bm, momentum, 0));
        var = e.binary(BinaryOp.ADD, e.affine(var, 1 - momentum, 0), e.affine(bv, momentum, 0));
        oldMean.close();   // device memory: the replaced statistics are dead (a no-op on host backends)
        oldVar.close();
    }
}
