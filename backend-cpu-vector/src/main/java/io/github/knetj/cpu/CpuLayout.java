package io.github.knetj.cpu;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.HostTensor;
import io.github.knetj.api.Layout;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.cpu.fast.Parallel;

import java.util.Arrays;

/**
 * Moving elements without arithmetic. Reshape shares the (never written) array; everything else is one
 * {@link StridedCopy}: the input read with permuted, zero (broadcast) or offset (slice) strides, or written into a
 * larger output (pad, concat).
 */
final class CpuLayout implements Layout {
    private final Backend backend;

    CpuLayout(Backend backend) { this.backend = backend; }

    @Override public Tensor reshape(Tensor x, Shape shape) {
        Host.check("reshape", backend, x);
        Checks.reshape(x.shape(), shape);
        return Host.host(x).reshaped(shape);
    }

    @Override public Tensor permute(Tensor x, int... perm) {
        DType d = Host.check("permute", backend, x);
        Shape out = Checks.permute(x.shape(), perm);
        int[] xs = x.shape().strides(), strides = new int[perm.length];
        for (int i = 0; i < perm.length; i++) strides[i] = xs[perm[i]];   // output axis i walks input axis perm[i]
        return gather(x, out, d, strides, 0);
    }

    @Override public Tensor broadcastTo(Tensor x, Shape shape) {
        DType d = Host.check("broadcastTo", backend, x);
        Checks.broadcastTo(x.shape(), shape);
        return gather(x, shape, d, broadcastStrides(x.shape(), shape), 0);
    }

    /** Strides that read a tensor of shape {@code from} as if broadcast to {@code to} (0 along stretched or missing axes). */
    static int[] broadcastStrides(Shape from, Shape to) {
        int[] s = new int[to.rank()], fs = from.strides();
        int lead = to.rank() - from.rank();
        for (int a = lead; a < to.rank(); a++) s[a] = from.dim(a - lead) == 1 ? 0 : fs[a - lead];
        return s;
    }

    @Override public Tensor concat(int axis, Tensor... xs) {
        if (xs.length == 0) throw new IllegalArgumentException("concat: no tensors given");
        DType d = Host.check("concat", backend, xs);
        Shape out = Checks.concat(axis, Arrays.stream(xs).map(Tensor::shape).toArray(Shape[]::new));
        HostTensor y = Host.uncleared(backend, out, d);   // the inputs tile the output
        int a = out.axis(axis);
        int[] os = out.strides(), offsets = new int[xs.length];
        for (int i = 1; i < xs.length; i++) offsets[i] = offsets[i - 1] + xs[i - 1].shape().dim(a) * os[a];
        // Many small inputs (a recurrent layer's steps) are copied side by side, each one too small to split.
        Parallel.forRange(xs.length, Math.max(1, (int) (StridedCopy.PARALLEL * (long) xs.length / Math.max(1, out.size()))), (i0, i1) -> {
            for (int i = i0; i < i1; i++)
                StridedCopy.copy(Host.array(xs[i]), 0, xs[i].shape().strides(), Host.array(y), offsets[i], os, xs[i].shape().dims());
        });
        return y;
    }

    @Override public Tensor slice(Tensor x, int axis, int start, int end) {
        DType d = Host.check("slice", backend, x);
        Shape out = Checks.slice(x.shape(), axis, start, end);
        int[] strides = x.shape().strides();
        return gather(x, out, d, strides, start * strides[x.shape().axis(axis)]);
    }

    public Tensor pad(Tensor x, int[] before, int[] after, double value) {
        DType d = Host.check("pad", backend, x);
        Shape out = Checks.pad(x.shape(), before, after);
        HostTensor y = (HostTensor) backend.memory().full(out, d, value);
        int[] os = out.strides();
        int offset = 0;
        for (int a = 0; a < before.length; a++) offset += before[a] * os[a];
        StridedCopy.copy(Host.array(x), 0, x.shape().strides(), Host.array(y), offset, os, x.shape().dims());
        return y;
    }

    private Tensor gather(Tensor x, Shape out, DType d, int[] strides, int offset) {
        HostTensor y = Host.uncleared(backend, out, d);
        StridedCopy.copy(Host.array(x), offset, strides, Host.array(y), 0, out.strides(), out.dims());
        return y;
    }
}
