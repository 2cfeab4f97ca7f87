package io.github.knetj.layers;

import io.github.knetj.api.Pool2d;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.NNOps;

import java.util.Objects;

/**
 * y[n, c, i, j] = max (or mean) of x[n, c] over the window at (i·stride − pad, j·stride − pad): 2-D pooling of images
 * (N, C, H, W) (Knet's {@code pool}). Average pooling counts padded cells in the divisor, as Knet's mode 1 and
 * PyTorch's default do.
 * <p>
 * {@code new Pool(2)} (a 2×2 max over non-overlapping windows) prints as {@code Pool(2, max)}.
 */
public record Pool(Pool2d spec, Mode mode) implements Layer {
    /** Which statistic of the window is kept. */
    public enum Mode { MAX, AVG }

    public Pool {
        Objects.requireNonNull(spec, "Pool: spec");
        Objects.requireNonNull(mode, "Pool: mode");
    }

    /** Max pooling, the stride equal to the window. */
    public Pool(int window) { this(window, Mode.MAX); }

    /** Max or average pooling, the stride equal to the window. */
    public Pool(int window, Mode mode) { this(Pool2d.of(window), mode); }

    /** Every option, the same on both axes. */
    public Pool(int window, int stride, int padding, Mode mode) { this(Pool2d.of(window, stride, padding, true), mode); }

    @Override public Value apply(Value x) {
        Check.rank(this, x, 4, "(N, C, H, W)");
        return mode == Mode.MAX ? NNOps.pool(x, spec) : NNOps.avgpool(x, spec);
    }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder("Pool(").append(Check.pair(spec.windowH(), spec.windowW()));
        if (spec.strideH() != spec.windowH() || spec.strideW() != spec.windowW()) sb.append(", stride=").append(Check.pair(spec.strideH(), spec.strideW()));
        if (spec.padH() != 0 || spec.padW() != 0) sb.append(", pad=").append(Check.pair(spec.padH(), spec.padW()));
        if (mode == Mode.AVG && !spec.countIncludePad() && (spec.padH() != 0 || spec.padW() != 0)) sb.append(", countIncludePad=false");
        return sb.append(", ").append(mode == Mode.MAX ? "max" : "avg").append(')').toString();
    }

}
