package io.github.knetj.cuda;

import io.github.knetj.api.DType;
import io.github.knetj.api.Memory;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;

/**
 * Host copies through the page-locked {@link Staging} buffer, constants by a fill kernel, and dtype casts.
 * {@link #liveBytes()} counts the bytes of live tensors (the allocator rounds blocks up; it does not count that slack).
 */
final class CudaMemory implements Memory {
    private final CudaBackend backend;

    CudaMemory(CudaBackend backend) { this.backend = backend; }

    @Override public Tensor fromArray(float[] data, Shape shape) {
        expectSize("fromArray", data.length, shape);
        CudaTensor t = backend.empty(shape, DType.FLOAT32);
        backend.staging().upload(t.ptr(), data);
        return t;
    }

    @Override public Tensor fromArray(double[] data, Shape shape, DType dtype) {
        expectSize("fromArray", data.length, shape);
        CudaTensor t = backend.empty(shape, dtype);
        backend.staging().upload(t.ptr(), data, dtype == DType.FLOAT32);
        return t;
    }

    private static void expectSize(String op, int length, Shape shape) {
        if (length != shape.size())
            throw new IllegalArgumentException(op + ": " + length + " values do not fill shape " + shape + " (" + shape.size() + " elements)");
    }

    @Override public Tensor full(Shape shape, DType dtype, double value) {
        CudaTensor t = backend.empty(shape, dtype);
        backend.cuda().launch(Kernel.FILL, dtype, t.n(), t.n(), value, t.ptr());
        return t;
    }

    @Override public double[] toDoubleArray(Tensor t) {
        backend.check("toDoubleArray", t);
        CudaTensor x = CudaBackend.dev(t);
        if (x.dtype() == DType.FLOAT64) return backend.staging().downloadDoubles(x.ptr(), x.n());
        float[] f = backend.staging().downloadFloats(x.ptr(), x.n());
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    @Override public float[] toFloatArray(Tensor t) {
        backend.check("toFloatArray", t);
        CudaTensor x = CudaBackend.dev(t);
        if (x.dtype() == DType.FLOAT32) return backend.staging().downloadFloats(x.ptr(), x.n());
        double[] d = backend.staging().downloadDoubles(x.ptr(), x.n());
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    @Override public Tensor cast(Tensor t, DType dtype) {
        backend.check("cast", t);
        if (t.dtype() == dtype) return t;
        CudaTensor x = CudaBackend.dev(t), y = backend.empty(x.shape(), dtype);
        // cast_<destination> reads the other dtype.
        backend.cuda().launch(Kernel.CAST, dtype, x.n(), x.n(), x.ptr(), y.ptr());
        return y;
    }

    @Override public long liveBytes() { return backend.allocator().liveBytes(); }
}
