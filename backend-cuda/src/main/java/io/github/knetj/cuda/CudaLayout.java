package io.github.knetj.cuda;

import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.Layout;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import jcuda.driver.JCudaDriver;

/**
 * Layout ops as strided copies: permute, broadcast and slice gather ({@code out[i] = x[map(i)]}), concat and pad
 * scatter ({@code out[map(i)] = x[i]}), reshape is a device-to-device copy. Every result is a new tensor, so closing
 * one never invalidates another.
 */
final class CudaLayout implements Layout {
    private final CudaBackend backend;

    CudaLayout(CudaBackend backend) { this.backend = backend; }

    @Override public Tensor reshape(Tensor x, Shape shape) {
        backend.check("reshape", x);
        Checks.reshape(x.shape(), shape);
        CudaTensor src = CudaBackend.dev(x), y = backend.empty(shape, x.dtype());
        if (src.bytes() > 0) {
            backend.cuda().makeCurrent();
            JCudaDriver.cuMemcpyDtoDAsync(y.ptr(), src.ptr(), src.bytes(), backend.cuda().stream());
        }
        return y;
    }

    @Override public Tensor permute(Tensor x, int... perm) {
        backend.check("permute", x);
        Shape out = Checks.permute(x.shape(), perm);
        return gather("permute", x, out, Strided.permutedStrides(x.shape(), perm), 0);
    }

    @Override public Tensor broadcastTo(Tensor x, Shape shape) {
        backend.check("broadcastTo", x);
        Checks.broadcastTo(x.shape(), shape);
        return gather("broadcastTo", x, shape, Strided.broadcastStrides(x.shape(), shape), 0);
    }

    @Override public Tensor concat(int axis, Tensor... xs) {
        Shape[] shapes = new Shape[xs.length];
        for (int i = 0; i < xs.length; i++) shapes[i] = xs[i].shape();
        Shape out = Checks.concat(axis, shapes);
        backend.check("concat", xs);
        int a = out.axis(axis);
        CudaTensor y = backend.empty(out, xs[0].dtype());
        int[] outStrides = out.strides();
        int start = 0;
        for (Tensor x : xs) {
            scatter("concat", x, y, outStrides, start * outStrides[a]);
            start += x.shape().dim(a);
        }
        return y;
    }

    @Override public Tensor slice(Tensor x, int axis, int start, int end) {
        backend.check("slice", x);
        Shape out = Checks.slice(x.shape(), axis, start, end);
        int[] strides = x.shape().strides();
        return gather("slice", x, out, strides, start * strides[x.shape().axis(axis)]);
    }

    public Tensor pad(Tensor x, int[] before, int[] after, double value) {
        backend.check("pad", x);
        Shape out = Checks.pad(x.shape(), before, after);
        CudaTensor y = (CudaTensor) backend.memory().full(out, x.dtype(), value);
        int[] outStrides = out.strides();
        int offset = 0;
        for (int a = 0; a < before.length; a++) offset += before[a] * outStrides[a];
        scatter("pad", x, y, outStrides, offset);
        return y;
    }

    /** A new tensor of shape {@code out} whose element i is x[offset + Σ index[k]·strides[k]]. */
    CudaTensor gather(String op, Tensor x, Shape out, int[] strides, int offset) {
        DType d = x.dtype();
        CudaTensor y = backend.empty(out, d);
        backend.cuda().launch(Kernel.GATHER, d, y.n(), y.n(), Strided.of(op, out.dims(), strides, offset), CudaBackend.dev(x).ptr(), y.ptr());
        return y;
    }

    /** Writes x's elements into y at y[offset + Σ index[k]·strides[k]], walking x's shape. */
    private void scatter(String op, Tensor x, CudaTensor y, int[] strides, int offset) {
        CudaTensor src = CudaBackend.dev(x);
        backend.cuda().launch(Kernel.SCATTER, x.dtype(), src.n(), src.n(), Strided.of(op, x.shape().dims(), strides, offset), src.ptr(), y.ptr());
    }
}
