package io.github.knetj.layers.transformer;

import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Ops;
import io.github.knetj.layers.Layer;

/**
 * y[b, t] = x[b, t] + PE[offset + t] with PE[p, 2i] = sin(p / 10000^(2i/E)) and PE[p, 2i+1] = cos(p / 10000^(2i/E)):
 * the fixed positions of Vaswani et al. (2017); no parameters. {@code new SinusoidalPosition(128)} prints as
 * {@code SinusoidalPosition(128)}.
 */
public record SinusoidalPosition(int dim) implements Layer {
    public SinusoidalPosition {
        if (dim < 1) throw new IllegalArgumentException("SinusoidalPosition: dim must be ≥ 1, got " + dim);
    }

    /** The table PE for positions offset … offset + length − 1, row-major (length, dim). */
    public double[] table(int offset, int length) {
        double[] pe = new double[length * dim];
        for (int p = 0; p < length; p++)
            for (int j = 0; j < dim; j++) {
                double angle = (offset + p) / Math.pow(10000, (double) (j - j % 2) / dim);
                pe[p * dim + j] = j % 2 == 0 ? Math.sin(angle) : Math.cos(angle);
            }
        return pe;
    }

    @Override public Value apply(Value x) { return apply(x, 0); }

    public Value apply(Value x, int offset) {
        if (x.shape().rank() != 3 || x.shape().dim(2) != dim())
            throw new IllegalArgumentException(this + ": expected x (B, T, " + dim + "), got " + x.shape());
        int t = x.shape().dim(1);
        return Ops.add(x, new Value(x.backend().memory().fromArray(table(offset, t), Shape.of(t, dim), x.dtype())));
    }

    @Override public String toString() { return "SinusoidalPosition(" + dim + ")"; }
}
