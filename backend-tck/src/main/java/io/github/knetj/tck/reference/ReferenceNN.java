package io.github.knetj.tck.reference;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.NN;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;

/** The reference NN kernels: stable softmax and log-softmax along an axis, and the row and class gathers and scatters. */
final class ReferenceNN implements NN {
    private final Backend backend;

    ReferenceNN(Backend backend) { this.backend = backend; }

    public Tensor softmax(Tensor x, int axis) { return softmax("softmax", x, axis, false); }

    public Tensor logSoftmax(Tensor x, int axis) { return softmax("logSoftmax", x, axis, true); }

    /** Subtracting the max of each line first keeps every exponent ≤ 0: no overflow, same result. */
    private Tensor softmax(String op, Tensor x, int axis, boolean log) {
        DType d = ReferenceHost.check(op, backend, x);
        Shape s = x.shape();
        int a = s.axis(axis), n = s.dim(a), outer = s.outer(a), inner = s.inner(a);
        double[] v = ReferenceHost.values(x), y = new double[v.length];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * n * inner + in;
                double m = Double.NEGATIVE_INFINITY, sum = 0;
                for (int k = 0; k < n; k++) m = Math.max(m, v[base + k * inner]);
                for (int k = 0; k < n; k++) sum += Math.exp(v[base + k * inner] - m);
                double logSum = Math.log(sum);
                for (int k = 0; k < n; k++) {
                    double z = v[base + k * inner] - m;
                    y[base + k * inner] = log ? z - logSum : Math.exp(z) / sum;
                }
            }
        }
        return ReferenceHost.result(backend, s, d, y);
    }

    @Override public Tensor gatherRows(Tensor table, int[] indices) {
        DType d = ReferenceHost.check("gatherRows", backend, table);
        Checks.rank("gatherRows", table, 2, "table (V, D)");
        int rows = table.shape().dim(0), width = table.shape().dim(1);
        Checks.indices("gatherRows", indices, rows);
        double[] t = ReferenceHost.values(table), y = new double[indices.length * width];
        for (int i = 0; i < indices.length; i++) System.arraycopy(t, indices[i] * width, y, i * width, width);
        return ReferenceHost.result(backend, Shape.of(indices.length, width), d, y);
    }

    @Override public Tensor scatterAddRows(Tensor src, int[] indices, int rows) {
        DType d = ReferenceHost.check("scatterAddRows", backend, src);
        Checks.rank("scatterAddRows", src, 2, "src (n, D) with n = indices.length = " + indices.length);
        if (src.shape().dim(0) != indices.length)
            throw new IllegalArgumentException("scatterAddRows: src " + src.shape() + " " + d + " has " + src.shape().dim(0) + " rows but " + indices.length + " indices");
        Checks.indices("scatterAddRows", indices, rows);
        int width = src.shape().dim(1);
        double[] v = ReferenceHost.values(src), y = new double[rows * width];
        for (int i = 0; i < indices.length; i++) for (int k = 0; k < width; k++) y[indices[i] * width + k] += v[i * width + k];
        return ReferenceHost.result(backend, Shape.of(rows, width), d, y);
    }

    public Tensor pickClasses(Tensor x, int[] labels) {
        DType d = ReferenceHost.check("pickClasses", backend, x);
        Checks.rank("pickClasses", x, 2, "x (N, C)");
        int n = x.shape().dim(0), classes = x.shape().dim(1);
        if (labels.length != n) throw new IllegalArgumentException("pickClasses: x " + x.shape() + " " + d + " has " + n + " rows but " + labels.length + " labels");
        Checks.indices("pickClasses", labels, classes);
        double[] v = ReferenceHost.values(x), y = new double[n];
        for (int i = 0; i < n; i++) y[i] = v[i * classes + labels[i]];
        return ReferenceHost.result(backend, Shape.of(n), d, y);
    }

    public Tensor placeClasses(Tensor g, int[] labels, int classes) {
        DType d = ReferenceHost.check("placeClasses", backend, g);
        Checks.rank("placeClasses", g, 1, "g (N)");
        int n = g.shape().dim(0);
        if (labels.length != n) throw new IllegalArgumentException("placeClasses: g " + g.shape() + " " + d + " has " + n + " elements but " + labels.length + " labels");
        Checks.indices("placeClasses", labels, classes);
        double[] v = ReferenceHost.values(g), y = new double[n * classes];
        for (int i = 0; i < n; i++) y[i * classes + labels[i]] = v[i];
        return ReferenceHost.result(backend, Shape.of(n, classes), d, y);
    }
}
