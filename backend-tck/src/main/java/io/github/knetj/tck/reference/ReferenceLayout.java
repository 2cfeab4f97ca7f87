package io.github.knetj.tck.reference;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.HostTensor;
import io.github.knetj.api.Layout;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;

import java.util.Arrays;

/**
 * The reference layout ops. Reshape shares the array; permute, broadcast and slice are one gather through strides
 * ({@link ReferenceHost#gatherIndex}); concat copies blocks; pad scatters the input into a filled output.
 */
final class ReferenceLayout implements Layout {
    private final Backend backend;

    ReferenceLayout(Backend backend) { this.backend = backend; }

    @Override public Tensor reshape(Tensor x, Shape shape) {
        ReferenceHost.check("reshape", backend, x);
        Checks.reshape(x.shape(), shape);
        return ((HostTensor) x).reshaped(shape);
    }

    @Override public Tensor permute(Tensor x, int... perm) {
        DType d = ReferenceHost.check("permute", backend, x);
        Shape out = Checks.permute(x.shape(), perm);
        int[] xs = x.shape().strides(), strides = new int[perm.length];
        for (int i = 0; i < perm.length; i++) strides[i] = xs[perm[i]];   // output axis i walks input axis perm[i]
        return gather(x, out, d, strides, 0);
    }

    @Override public Tensor broadcastTo(Tensor x, Shape shape) {
        DType d = ReferenceHost.check("broadcastTo", backend, x);
        Checks.broadcastTo(x.shape(), shape);
        return gather(x, shape, d, ReferenceHost.broadcastStrides(x.shape(), shape), 0);
    }

    @Override public Tensor concat(int axis, Tensor... xs) {
        if (xs.length == 0) throw new IllegalArgumentException("concat: no tensors given");
        DType d = ReferenceHost.check("concat", backend, xs);
        Shape[] shapes = Arrays.stream(xs).map(Tensor::shape).toArray(Shape[]::new);
        Shape out = Checks.concat(axis, shapes);
        int a = out.axis(axis), outer = out.outer(a), inner = out.inner(a);
        double[] y = new double[out.sizeInt()];
        int rowOut = out.dim(a) * inner, offset = 0;
        for (Tensor t : xs) {
            // Each tensor contributes one block of dim(a)·inner elements to every outer row.
            int block = t.shape().dim(a) * inner;
            double[] v = ReferenceHost.values(t);
            for (int o = 0; o < outer; o++) System.arraycopy(v, o * block, y, o * rowOut + offset, block);
            offset += block;
        }
        return ReferenceHost.result(backend, out, d, y);
    }

    @Override public Tensor slice(Tensor x, int axis, int start, int end) {
        DType d = ReferenceHost.check("slice", backend, x);
        Shape out = Checks.slice(x.shape(), axis, start, end);
        int[] strides = x.shape().strides();
        return gather(x, out, d, strides, start * strides[x.shape().axis(axis)]);
    }

    public Tensor pad(Tensor x, int[] before, int[] after, double value) {
        DType d = ReferenceHost.check("pad", backend, x);
        Shape out = Checks.pad(x.shape(), before, after);
        int[] os = out.strides();
        int offset = 0;
        for (int a = 0; a < before.length; a++) offset += before[a] * os[a];
        int[] into = ReferenceHost.gatherIndex(x.shape(), os, offset);   // where each input element lands in the output
        double[] v = ReferenceHost.values(x), y = new double[out.sizeInt()];
        Arrays.fill(y, value);
        for (int i = 0; i < v.length; i++) y[into[i]] = v[i];
        return ReferenceHost.result(backend, out, d, y);
    }

    private Tensor gather(Tensor x, Shape out, DType d, int[] strides, int offset) {
        int[] from = ReferenceHost.gatherIndex(out, strides, offset);
        double[] v = ReferenceHost.values(x), y = new double[from.length];
        for (int i = 0; i < y.length; i++) y[i] = v[from[i]];
        return ReferenceHost.result(backend, out, d, y);
    }
}
