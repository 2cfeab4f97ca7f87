package io.github.knetj.tck.reference;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.Reductions;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;

import java.util.Arrays;

/**
 * The reference reductions. Each input element knows the output element it falls into (an index map with stride 0
 * along the reduced axes), so sum, mean, max and logsumexp are one loop each, accumulating in double.
 */
final class ReferenceReductions implements Reductions {
    private final Backend backend;

    ReferenceReductions(Backend backend) { this.backend = backend; }

    @Override public Tensor sum(Tensor x, int[] axes, boolean keepdims) {
        return reduce("sum", x, axes, keepdims, Kind.SUM);
    }

    public Tensor mean(Tensor x, int[] axes, boolean keepdims) {
        return reduce("mean", x, axes, keepdims, Kind.MEAN);
    }

    @Override public Tensor max(Tensor x, int[] axes, boolean keepdims) {
        return reduce("max", x, axes, keepdims, Kind.MAX);
    }

    public Tensor logsumexp(Tensor x, int[] axes, boolean keepdims) {
        return reduce("logsumexp", x, axes, keepdims, Kind.LOGSUMEXP);
    }

    private enum Kind { SUM, MEAN, MAX, LOGSUMEXP }

    private Tensor reduce(String op, Tensor x, int[] axes, boolean keepdims, Kind kind) {
        DType d = ReferenceHost.check(op, backend, x);
        int[] ax = Checks.reduceAxes(op, x.shape(), axes);
        Shape kept = Checks.reducedShape(x.shape(), ax, true);
        Shape out = Checks.reducedShape(x.shape(), ax, keepdims);
        // Input element i lands in output element into[i]: kept's strides with 0 along the reduced axes.
        int[] strides = kept.strides();
        for (int a : ax) strides[a] = 0;
        int[] into = ReferenceHost.gatherIndex(x.shape(), strides, 0);
        double[] v = ReferenceHost.values(x);
        double[] y = new double[kept.sizeInt()];
        long count = x.size() / Math.max(1, kept.size());
        if (kind == Kind.SUM || kind == Kind.MEAN) {
            for (int i = 0; i < v.length; i++) y[into[i]] += v[i];
            if (kind == Kind.MEAN) for (int j = 0; j < y.length; j++) y[j] /= count;
        } else {
            double[] m = new double[y.length];
            Arrays.fill(m, Double.NEGATIVE_INFINITY);
            for (int i = 0; i < v.length; i++) m[into[i]] = Math.max(m[into[i]], v[i]);
            if (kind == Kind.MAX) {
                y = m;
            } else {
                // log Σ e^x = m + log Σ e^(x−m); an all −∞ (or +∞) group has m itself as its value.
                for (int i = 0; i < v.length; i++) y[into[i]] += Math.exp(v[i] - m[into[i]]);
                for (int j = 0; j < y.length; j++) y[j] = Double.isInfinite(m[j]) ? m[j] : m[j] + Math.log(y[j]);
            }
        }
        return ReferenceHost.result(backend, out, d, y);
    }

    public int[] argmax(Tensor x, int axis) {
        ReferenceHost.check("argmax", backend, x);
        int a = x.shape().axis(axis);
        int n = x.shape().dim(a), outer = x.shape().outer(a), inner = x.shape().inner(a);
        if (n == 0) throw new IllegalArgumentException("argmax: axis " + axis + " of " + x.shape() + " is empty");
        double[] v = ReferenceHost.values(x);
        int[] idx = new int[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * n * inner + in, best = 0;
                // Strictly greater: ties keep the first index.
                for (int k = 1; k < n; k++) if (v[base + k * inner] > v[base + best * inner]) best = k;
                idx[o * inner + in] = best;
            }
        }
        return idx;
    }
}
