package io.github.knetj.opencl;

import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.Layout;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import org.jocl.cl_mem;

import java.util.Arrays;

/**
 * Layout ops on the device. Reshape shares the buffer; permute, broadcastTo and slice are one strided gather;
 * concat and pad are strided scatters into the output. {@link #gather} also serves the products and convolutions.
 */
final class ClLayout extends ClOps implements Layout {
    private static final String FILE = "layout.cl";

    ClLayout(OpenClBackend backend) { super(backend); }

    @Override public Tensor reshape(Tensor x, Shape shape) {
        check("reshape", x);
        Checks.reshape(x.shape(), shape);
        return t(x).reshaped(shape);
    }

    @Override public Tensor permute(Tensor x, int... perm) {
        DType d = check("permute", x);
        Shape out = Checks.permute(x.shape(), perm);
        int[] xs = x.shape().strides(), strides = new int[perm.length];
        for (int i = 0; i < perm.length; i++) strides[i] = xs[perm[i]];   // output axis i walks input axis perm[i]
        ClTensor y = alloc(out, d);
        gather("permute", d, t(x).mem(), 0, y.mem(), out.dims(), strides);
        return y;
    }

    @Override public Tensor broadcastTo(Tensor x, Shape shape) {
        DType d = check("broadcastTo", x);
        Checks.broadcastTo(x.shape(), shape);
        ClTensor y = alloc(shape, d);
        gather("broadcastTo", d, t(x).mem(), 0, y.mem(), shape.dims(), broadcastStrides(x.shape(), shape));
        return y;
    }

    @Override public Tensor concat(int axis, Tensor... xs) {
        if (xs.length == 0) throw new IllegalArgumentException("concat: no tensors given");
        DType d = check("concat", xs);
        Shape out = Checks.concat(axis, Arrays.stream(xs).map(Tensor::shape).toArray(Shape[]::new));
        int a = out.axis(axis);
        int[] os = out.strides();
        ClTensor y = alloc(out, d);
        int offset = 0;
        for (Tensor x : xs) {
            // Each input lands at its running offset along the axis, walking the output's strides.
            scatter("concat", d, t(x).mem(), y.mem(), offset * os[a], x.shape().dims(), os);
            offset += x.shape().dim(a);
        }
        return y;
    }

    @Override public Tensor slice(Tensor x, int axis, int start, int end) {
        DType d = check("slice", x);
        Shape out = Checks.slice(x.shape(), axis, start, end);
        int[] strides = x.shape().strides();
        ClTensor y = alloc(out, d);
        gather("slice", d, t(x).mem(), start * strides[x.shape().axis(axis)], y.mem(), out.dims(), strides);
        return y;
    }

    public Tensor pad(Tensor x, int[] before, int[] after, double value) {
        DType d = check("pad", x);
        Shape out = Checks.pad(x.shape(), before, after);
        int[] os = out.strides();
        int offset = 0;
        for (int a = 0; a < before.length; a++) offset += before[a] * os[a];
        ClTensor y = alloc(out, d);
        cl.launch1(d, "memory.cl", "fill", y.n(), y, y.n(), value);
        scatter("pad", d, t(x).mem(), y.mem(), offset, x.shape().dims(), os);
        return y;
    }

    /** y[i] = x[offset + Σ idx(i)[a]·strides[a]] for every element i of a row-major tensor of {@code dims}. */
    void gather(String op, DType d, cl_mem x, int offset, cl_mem y, int[] dims, int[] strides) {
        int n = size(dims);
        int[][] c = collapse(dims, strides);
        if (c[0].length <= 3) {
            int[][] t = three(c);
            cl.launch(d, FILE, "gather3", range3(t[0]), null, x, offset, y, t[0], t[1]);
        } else {
            cl.launch1(d, FILE, "gather", n, x, offset, y, n, c[0].length, vec8(op, c[0], 1), vec8(op, c[1], 0));
        }
    }

    /** y[offset + Σ idx(i)[a]·strides[a]] = x[i] for every element i of a row-major tensor of {@code dims}. */
    void scatter(String op, DType d, cl_mem x, cl_mem y, int offset, int[] dims, int[] strides) {
        int n = size(dims);
        int[][] c = collapse(dims, strides);
        if (c[0].length <= 3) {
            int[][] t = three(c);
            cl.launch(d, FILE, "scatter3", range3(t[0]), null, x, y, offset, t[0], t[1]);
        } else {
            cl.launch1(d, FILE, "scatter", n, x, y, offset, n, c[0].length, vec8(op, c[0], 1), vec8(op, c[1], 0));
        }
    }

    /** Strides that read a tensor of shape {@code from} as if broadcast to {@code to} (0 along stretched or missing axes). */
    static int[] broadcastStrides(Shape from, Shape to) {
        int[] s = new int[to.rank()];
        int[] fs = from.strides();
        int lead = to.rank() - from.rank();
        for (int a = lead; a < to.rank(); a++) s[a] = from.dim(a - lead) == 1 ? 0 : fs[a - lead];
        return s;
    }

    private static int size(int[] dims) {
        int n = 1;
        for (int v : dims) n *= v;
        return n;
    }
}
