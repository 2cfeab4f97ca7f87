package io.github.knetj.cpu;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.HostTensor;
import io.github.knetj.api.NN;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.cpu.fast.Parallel;
import io.github.knetj.cpu.fast.RecurrentCells;
import io.github.knetj.cpu.fast.RecurrentMatmul;

/**
 * The row gathers and scatters (the {@link NN} primitives), and softmax, log-softmax and the class picks (optional
 * kernels, reached through {@link CpuFused}). A softmax over the last axis is three SIMD passes per row (max,
 * exponentials and their sum, scale); over another axis each line is strided and runs scalar.
 */
final class CpuNN implements NN {
    private final Backend backend;
    private final Kernels k;

    CpuNN(Backend backend, Kernels kernels) {
        this.backend = backend;
        this.k = kernels;
    }

    public Tensor softmax(Tensor x, int axis) { return softmax("softmax", x, axis, false); }

    public Tensor logSoftmax(Tensor x, int axis) { return softmax("logSoftmax", x, axis, true); }

    /** Subtracting the max of each line first keeps every exponent ≤ 0: no overflow, same result. */
    private Tensor softmax(String op, Tensor x, int axis, boolean log) {
        DType d = Host.check(op, backend, x);
        Shape s = x.shape();
        if (s.rank() == 0) throw new IllegalArgumentException(op + ": expected a tensor with an axis " + axis + ", got a scalar " + s + " " + d);
        int a = s.axis(axis), n = s.dim(a), outer = s.outer(a), inner = s.inner(a);
        HostTensor in = Host.host(x), y = Host.uncleared(backend, s, d);
        if (inner == 1) {
            Parallel.forRange(outer, Host.grain(4L * n), (o0, o1) -> {
                for (int o = o0; o < o1; o++) {
                    if (d == DType.FLOAT32) lastAxis(in.floats(), y.floats(), o * n, n, log);
                    else lastAxis(in.doubles(), y.doubles(), o * n, n, log);
                }
            });
            return y;
        }
        Parallel.forRange(outer * inner, Host.grain(4L * n), (u0, u1) -> {
            for (int u = u0; u < u1; u++) {
                int base = (u / inner) * n * inner + u % inner;
                if (d == DType.FLOAT32) strided(in.floats(), y.floats(), base, inner, n, log);
                else strided(in.doubles(), y.doubles(), base, inner, n, log);
            }
        });
        return y;
    }

    /**
     * Softmax's gradient, one row at a time when the axis is the last (the row stays in cache between the sum and the
     * product); null for another axis, which the composed default handles.
     */
    Tensor softmaxBackward(Tensor y, Tensor dy, int axis) {
        DType d = Host.check("softmaxBackward", backend, y, dy);
        Shape s = y.shape();
        if (!s.equals(dy.shape()))
            throw new IllegalArgumentException("softmaxBackward: expected dy of y's shape " + s + ", got " + dy.shape() + " (" + d + ")");
        int a = io.github.knetj.api.Checks.axis("softmaxBackward", s, axis), n = s.dim(a);
        if (s.inner(a) != 1) return null;
        HostTensor hy = Host.host(y), hd = Host.host(dy), dx = Host.uncleared(backend, s, d);
        Parallel.forRange(s.outer(a), Host.grain(3L * n), (o0, o1) -> {
            for (int o = o0; o < o1; o++) {
                if (d == DType.FLOAT32) k.softmaxBackward(hy.floats(), o * n, hd.floats(), o * n, dx.floats(), o * n, n);
                else k.softmaxBackward(hy.doubles(), o * n, hd.doubles(), o * n, dx.doubles(), o * n, n);
            }
        });
        return dx;
    }

    private void lastAxis(float[] x, float[] y, int off, int n, boolean log) {
        double m = k.max(x, off, n), sum = k.expSum(x, off, y, off, n, m);
        if (log) {
            k.affine(x, off, y, off, n, 1, -m);
            k.affine(y, off, y, off, n, 1, -Math.log(sum));
        } else {
            k.affine(y, off, y, off, n, 1 / sum, 0);
        }
    }

    private void lastAxis(double[] x, double[] y, int off, int n, boolean log) {
        double m = k.max(x, off, n), sum = k.expSum(x, off, y, off, n, m);
        if (log) {
            k.affine(x, off, y, off, n, 1, -m);
            k.affine(y, off, y, off, n, 1, -Math.log(sum));
        } else {
            k.affine(y, off, y, off, n, 1 / sum, 0);
        }
    }

    private static void strided(float[] x, float[] y, int base, int step, int n, boolean log) {
        double m = Double.NEGATIVE_INFINITY, sum = 0;
        for (int j = 0; j < n; j++) m = Math.max(m, x[base + j * step]);
        for (int j = 0; j < n; j++) sum += Math.exp(x[base + j * step] - m);
        double logSum = Math.log(sum);
        for (int j = 0; j < n; j++) {
            double z = x[base + j * step] - m;
            y[base + j * step] = (float) (log ? z - logSum : Math.exp(z) / sum);
        }
    }

    private static void strided(double[] x, double[] y, int base, int step, int n, boolean log) {
        double m = Double.NEGATIVE_INFINITY, sum = 0;
        for (int j = 0; j < n; j++) m = Math.max(m, x[base + j * step]);
        for (int j = 0; j < n; j++) sum += Math.exp(x[base + j * step] - m);
        double logSum = Math.log(sum);
        for (int j = 0; j < n; j++) {
            double z = x[base + j * step] - m;
            y[base + j * step] = log ? z - logSum : Math.exp(z) / sum;
        }
    }

    @Override public Tensor gatherRows(Tensor table, int[] indices) {
        DType d = Host.check("gatherRows", backend, table);
        Checks.rank("gatherRows", table, 2, "table (V, D)");
        int rows = table.shape().dim(0), width = table.shape().dim(1);
        Checks.indices("gatherRows", indices, rows);
        HostTensor y = Host.uncleared(backend, Shape.of(indices.length, width), d);
        Object t = Host.array(table), out = Host.array(y);
        // Rows picked at random from a large table (a shuffled dataset) wait on memory: two threads keep twice the reads in flight.
        Parallel.forRange(indices.length, Math.max(1, (1 << 16) / Math.max(1, width)), (i0, i1) -> {
            for (int i = i0; i < i1; i++) System.arraycopy(t, indices[i] * width, out, i * width, width);
        });
        return y;
    }

    @Override public Tensor scatterAddRows(Tensor src, int[] indices, int rows) {
        DType d = Host.check("scatterAddRows", backend, src);
        Checks.rank("scatterAddRows", src, 2, "src (n, D) with n = indices.length = " + indices.length);
        if (src.shape().dim(0) != indices.length)
            throw new IllegalArgumentException("scatterAddRows: src " + src.shape() + " " + d + " has " + src.shape().dim(0) + " rows but " + indices.length + " indices");
        Checks.indices("scatterAddRows", indices, rows);
        int width = src.shape().dim(1);
        HostTensor in = Host.host(src), y = Host.zeros(backend, Shape.of(rows, width), d);
        // Serial: repeated indices add into the same row, in index order.
        for (int i = 0; i < indices.length; i++) {
            if (d == DType.FLOAT32) k.addTo(y.floats(), indices[i] * width, in.floats(), i * width, width);
            else k.addTo(y.doubles(), indices[i] * width, in.doubles(), i * width, width);
        }
        return y;
    }

    public Tensor pickClasses(Tensor x, int[] labels) {
        DType d = Host.check("pickClasses", backend, x);
        Checks.rank("pickClasses", x, 2, "x (N, C)");
        int n = x.shape().dim(0), classes = x.shape().dim(1);
        if (labels.length != n) throw new IllegalArgumentException("pickClasses: x " + x.shape() + " " + d + " has " + n + " rows but " + labels.length + " labels");
        Checks.indices("pickClasses", labels, classes);
        HostTensor y = Host.zeros(backend, Shape.of(n), d);
        Object in = Host.array(x), out = Host.array(y);
        for (int i = 0; i < n; i++) System.arraycopy(in, i * classes + labels[i], out, i, 1);
        return y;
    }

    public Tensor placeClasses(Tensor g, int[] labels, int classes) {
        DType d = Host.check("placeClasses", backend, g);
        Checks.rank("placeClasses", g, 1, "g (N)");
        int n = g.shape().dim(0);
        if (labels.length != n) throw new IllegalArgumentException("placeClasses: g " + g.shape() + " " + d + " has " + n + " elements but " + labels.length + " labels");
        Checks.indices("placeClasses", labels, classes);
        HostTensor y = Host.zeros(backend, Shape.of(n, classes), d);
        Object in = Host.array(g), out = Host.array(y);
        for (int i = 0; i < n; i++) System.arraycopy(in, i, out, i * classes + labels[i], 1);
        return y;
    }
}
