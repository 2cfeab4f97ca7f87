package io.github.knetj.docs;

import io.github.knetj.api.Backend;
import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.Checks;
import io.github.knetj.api.Convolution;
import io.github.knetj.api.DType;
import io.github.knetj.api.Elementwise;
import io.github.knetj.api.HostTensor;
import io.github.knetj.api.Layout;
import io.github.knetj.api.Linalg;
import io.github.knetj.api.Memory;
import io.github.knetj.api.NN;
import io.github.knetj.api.Reductions;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.UnaryOp;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * The tutorial's own backend ("write your own backend"): the 23 required primitives of the SPI and nothing else, in
 * plain scalar Java, written from the api alone, and certified by the TCK in {@code TinyBackendTckTest} and by the
 * PyTorch vectors in {@code TinyConformanceTest}. Every optional kernel (softmax, Adam, the LSTM cell, the other unary
 * ops...) is {@link io.github.knetj.api.Fused}'s default, composed from these; its unary and binary kernels refuse
 * the non-primitive op cases, so nothing can reach them around {@code Fused}.
 * <p>
 * One class implements all the op groups, so {@code memory()}, {@code elementwise()} and the rest return
 * {@code this}; only convolution and pooling live apart, in {@link TinyConvolution}. Every kernel follows one
 * recipe: check the inputs ({@link Checks} gives every backend the same errors), read them as doubles, compute each
 * output element in double, and round once to float when the dtype is float32 ({@link #result}). Tensors are the
 * api's {@link HostTensor}: a Java array and a shape. Index arithmetic goes through multi-indices
 * ({@link #unravel}, {@link #ravel}), slower than the reference backend's precomputed strides but easier to follow.
 */
// tag::class[]
public final class TinyBackend implements Backend, Memory, Elementwise, Reductions, Layout, Linalg, NN {
    private final Convolution convolution = new TinyConvolution(this);

    // ---- Backend: a name, a device, the dtypes, and the op groups ------------------------------------------------

    @Override public String name() { return "tiny"; }
    @Override public String device() { return "the host CPU (the tutorial's scalar Java backend)"; }
    @Override public Set<DType> dtypes() { return EnumSet.of(DType.FLOAT32, DType.FLOAT64); }
    @Override public Memory memory() { return this; }
    @Override public Layout layout() { return this; }
    @Override public Elementwise elementwise() { return this; }
    @Override public Reductions reductions() { return this; }
    @Override public Linalg linalg() { return this; }
    @Override public Convolution convolution() { return convolution; }
    @Override public NN nn() { return this; }
// end::class[]

    // ---- the recipe every kernel follows ----------------------------------------------------------------------------

    // tag::recipe[]
    /** Checks that the tensors are ours and share one dtype (the error names the op); returns the dtype. */
    DType check(String op, Tensor... xs) { return Checks.sameBackendAndDtype(op, this, xs); }

    /** The elements of one of our tensors, as doubles (a fresh copy: kernels may write into it). */
    static double[] read(Tensor t) { return ((HostTensor) t).toDoubleArray(); }

    /** A new tensor of ours holding v, rounded once to float for float32. */
    Tensor result(Shape shape, DType dtype, double[] v) {
        if (dtype == DType.FLOAT64) return HostTensor.of(this, shape, v);
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return HostTensor.of(this, shape, f);
    }
    // end::recipe[]

    // tag::broadcast[]
    /** The multi-index of row-major element i of shape s. */
    static int[] unravel(int i, Shape s) {
        int[] idx = new int[s.rank()];
        for (int a = s.rank() - 1; a >= 0; a--) { idx[a] = i % s.dim(a); i /= s.dim(a); }
        return idx;
    }

    /** The row-major position of a multi-index in shape s. */
    static int ravel(int[] idx, Shape s) {
        int i = 0;
        for (int a = 0; a < s.rank(); a++) i = i * s.dim(a) + idx[a];
        return i;
    }

    /** The element of shape s that a broadcast reads at output index idx: size-1 axes stay at 0, missing axes drop. */
    static int broadcastRead(int[] idx, Shape s) {
        int lead = idx.length - s.rank(), i = 0;
        for (int a = 0; a < s.rank(); a++) i = i * s.dim(a) + (s.dim(a) == 1 ? 0 : idx[lead + a]);
        return i;
    }
    // end::broadcast[]

    // ---- Memory -------------------------------------------------------------------------------------------------

    @Override public Tensor fromArray(float[] data, Shape shape) {
        if (data.length != shape.size()) throw new IllegalArgumentException("fromArray: " + data.length + " elements do not fill shape " + shape);
        return HostTensor.of(this, shape, data.clone());
    }

    @Override public Tensor fromArray(double[] data, Shape shape, DType dtype) {
        if (data.length != shape.size()) throw new IllegalArgumentException("fromArray: " + data.length + " elements do not fill shape " + shape);
        return result(shape, dtype, data.clone());
    }

    @Override public Tensor full(Shape shape, DType dtype, double value) {
        double[] v = new double[shape.sizeInt()];
        Arrays.fill(v, value);
        return result(shape, dtype, v);
    }

    @Override public double[] toDoubleArray(Tensor t) { check("toDoubleArray", t); return read(t); }
    @Override public float[] toFloatArray(Tensor t) { check("toFloatArray", t); return ((HostTensor) t).toFloatArray(); }
    @Override public Tensor cast(Tensor t, DType dtype) { check("cast", t); return result(t.shape(), dtype, read(t)); }

    // ---- Elementwise ----------------------------------------------------------------------------------------------

    // tag::unary[]
    @Override public Tensor unary(UnaryOp op, Tensor x, double param) {
        DType d = check(op.label(), x);
        if (!op.primitive()) throw new UnsupportedOperationException("backend tiny lacks op " + op.label() + ": only the primitives, Fused composes the rest");
        double[] v = read(x);
        for (int i = 0; i < v.length; i++) v[i] = op.apply(v[i], param);   // the op's own definition
        return result(x.shape(), d, v);
    }
    // end::unary[]

    // tag::binary[]
    @Override public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        DType d = check(op.label(), a, b);
        if (!op.primitive()) throw new UnsupportedOperationException("backend tiny lacks op " + op.label() + ": only the primitives, Fused composes the rest");
        Shape out = Checks.broadcast(op.label(), a.shape(), b.shape());
        double[] va = read(a), vb = read(b), y = new double[out.sizeInt()];
        for (int i = 0; i < y.length; i++) {
            int[] idx = unravel(i, out);
            y[i] = op.apply(va[broadcastRead(idx, a.shape())], vb[broadcastRead(idx, b.shape())]);
        }
        return result(out, d, y);
    }
    // end::binary[]

    // ---- Reductions: every input element is added (or maxed) into the output element it falls into --------------

    @Override public Tensor sum(Tensor x, int[] axes, boolean keepdims) { return reduce("sum", x, axes, keepdims); }
    @Override public Tensor max(Tensor x, int[] axes, boolean keepdims) { return reduce("max", x, axes, keepdims); }

    private Tensor reduce(String op, Tensor x, int[] axes, boolean keepdims) {
        DType d = check(op, x);
        int[] ax = Checks.reduceAxes(op, x.shape(), axes);
        Shape kept = Checks.reducedShape(x.shape(), ax, true);
        double[] v = read(x);
        int[] into = new int[v.length];   // the output element of every input element
        for (int i = 0; i < v.length; i++) {
            int[] idx = unravel(i, x.shape());
            for (int a : ax) idx[a] = 0;
            into[i] = ravel(idx, kept);
        }
        double[] m = new double[kept.sizeInt()], y = new double[m.length];
        Arrays.fill(m, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < v.length; i++) { m[into[i]] = Math.max(m[into[i]], v[i]); y[into[i]] += v[i]; }
        if (op.equals("max")) y = m;
        return result(Checks.reducedShape(x.shape(), ax, keepdims), d, y);
    }

    // ---- Layout: each output element reads one input element; only the index map differs --------------------------

    @Override public Tensor reshape(Tensor x, Shape shape) {
        check("reshape", x);
        Checks.reshape(x.shape(), shape);
        return ((HostTensor) x).reshaped(shape);
    }

    @Override public Tensor permute(Tensor x, int... perm) {
        DType d = check("permute", x);
        Shape out = Checks.permute(x.shape(), perm);
        double[] v = read(x), y = new double[out.sizeInt()];
        for (int i = 0; i < y.length; i++) {
            int[] o = unravel(i, out), in = new int[o.length];
            for (int a = 0; a < o.length; a++) in[perm[a]] = o[a];
            y[i] = v[ravel(in, x.shape())];
        }
        return result(out, d, y);
    }

    @Override public Tensor broadcastTo(Tensor x, Shape shape) {
        DType d = check("broadcastTo", x);
        Checks.broadcastTo(x.shape(), shape);
        double[] v = read(x), y = new double[shape.sizeInt()];
        for (int i = 0; i < y.length; i++) y[i] = v[broadcastRead(unravel(i, shape), x.shape())];
        return result(shape, d, y);
    }

    @Override public Tensor concat(int axis, Tensor... xs) {
        if (xs.length == 0) throw new IllegalArgumentException("concat: no tensors given");
        DType d = check("concat", xs);
        Shape out = Checks.concat(axis, Arrays.stream(xs).map(Tensor::shape).toArray(Shape[]::new));
        int a = out.axis(axis);
        double[] y = new double[out.sizeInt()];
        for (int i = 0; i < y.length; i++) {
            int[] idx = unravel(i, out);
            int t = 0;
            while (idx[a] >= xs[t].shape().dim(a)) idx[a] -= xs[t++].shape().dim(a);   // which input holds this slab
            y[i] = read(xs[t])[ravel(idx, xs[t].shape())];
        }
        return result(out, d, y);
    }

    @Override public Tensor slice(Tensor x, int axis, int start, int end) {
        DType d = check("slice", x);
        Shape out = Checks.slice(x.shape(), axis, start, end);
        int a = x.shape().axis(axis);
        double[] v = read(x), y = new double[out.sizeInt()];
        for (int i = 0; i < y.length; i++) {
            int[] idx = unravel(i, out);
            idx[a] += start;
            y[i] = v[ravel(idx, x.shape())];
        }
        return result(out, d, y);
    }

    // ---- Linalg: the textbook triple loop ---------------------------------------------------------------------------

    // tag::matmul[]
    @Override public Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        DType d = check("matmul", a, b);
        Shape out = Checks.matmul(a.shape(), b.shape(), transA, transB);
        int batches = out.rank() == 3 ? out.dim(0) : 1, m = out.dim(-2), n = out.dim(-1);
        int k = transA ? a.shape().dim(-2) : a.shape().dim(-1);
        double[] va = read(a), vb = read(b), y = new double[out.sizeInt()];
        for (int s = 0; s < batches; s++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int p = 0; p < k; p++) acc += at(va, a.shape(), s, i, p, transA) * at(vb, b.shape(), s, p, j, transB);
                    y[(s * m + i) * n + j] = acc;
                }
        return result(out, d, y);
    }

    /** Element (row, col) of op(matrix s) of a 2-D or 3-D operand; a 2-D operand serves every batch. */
    private static double at(double[] v, Shape shape, int s, int row, int col, boolean transposed) {
        int rows = shape.dim(-2), cols = shape.dim(-1);
        int base = shape.rank() == 3 ? s * rows * cols : 0;
        return transposed ? v[base + col * cols + row] : v[base + row * cols + col];
    }
    // end::matmul[]

    // ---- NN: the gather and scatter of embedding rows ----------------------------------------------------------------

    @Override public Tensor gatherRows(Tensor table, int[] indices) {
        DType d = check("gatherRows", table);
        Checks.rank("gatherRows", table, 2, "table (V, D)");
        Checks.indices("gatherRows", indices, table.shape().dim(0));
        int width = table.shape().dim(1);
        double[] t = read(table), y = new double[indices.length * width];
        for (int i = 0; i < indices.length; i++) System.arraycopy(t, indices[i] * width, y, i * width, width);
        return result(Shape.of(indices.length, width), d, y);
    }

    @Override public Tensor scatterAddRows(Tensor src, int[] indices, int rows) {
        DType d = check("scatterAddRows", src);
        Checks.rank("scatterAddRows", src, 2, "src (n, D)");
        if (src.shape().dim(0) != indices.length)
            throw new IllegalArgumentException("scatterAddRows: src " + src.shape() + " has " + src.shape().dim(0) + " rows but " + indices.length + " indices");
        Checks.indices("scatterAddRows", indices, rows);
        int width = src.shape().dim(1);
        double[] v = read(src), y = new double[rows * width];
        for (int i = 0; i < indices.length; i++) for (int k = 0; k < width; k++) y[indices[i] * width + k] += v[i * width + k];
        return result(Shape.of(rows, width), d, y);
    }

    @Override public String toString() { return "TinyBackend"; }
}
