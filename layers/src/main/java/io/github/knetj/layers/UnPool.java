package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.NNOps;

/**
 * y[n, c, i, j] = x[n, c, ⌊i/k⌋, ⌊j/k⌋]: each pixel repeated over a k×k window, the inverse of average pooling
 * (Knet's {@code unpool}), growing (N, C, H, W) to (N, C, k·H, k·W).
 * <p>
 * {@code new UnPool(2)} prints as {@code UnPool(2)}.
 */
public record UnPool(int window) implements Layer {
    public UnPool {
        if (window < 1) throw new IllegalArgumentException("UnPool: window must be >= 1, got " + window);
    }

    @Override public Value apply(Value x) {
        Check.rank(this, x, 4, "(N, C, H, W)");
        return NNOps.unpool(x, window);
    }

    @Override public String toString() { return "UnPool(" + window + ")"; }
}
