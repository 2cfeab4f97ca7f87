package io.github.knetj.opencl;

import io.github.knetj.api.DType;
import io.github.knetj.api.Memory;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import org.jocl.Pointer;

/** Copies between the host and OpenCL buffers, constant tensors by a fill kernel, and dtype casts on the device. */
final class ClMemory extends ClOps implements Memory {
    ClMemory(OpenClBackend backend) { super(backend); }

    @Override public Tensor fromArray(float[] data, Shape shape) {
        checkLength(data.length, shape);
        ClTensor y = alloc(shape, DType.FLOAT32);
        cl.write(y.mem(), Pointer.to(data), (long) data.length * Float.BYTES);
        return y;
    }

    @Override public Tensor fromArray(double[] data, Shape shape, DType dtype) {
        checkLength(data.length, shape);
        if (dtype == DType.FLOAT32) {
            float[] f = new float[data.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) data[i];
            return fromArray(f, shape);
        }
        supported("fromArray", dtype);
        ClTensor y = alloc(shape, dtype);
        cl.write(y.mem(), Pointer.to(data), (long) data.length * Double.BYTES);
        return y;
    }

    @Override public Tensor full(Shape shape, DType dtype, double value) {
        supported("full", dtype);
        ClTensor y = alloc(shape, dtype);
        cl.launch1(dtype, "memory.cl", "fill", y.n(), y, y.n(), value);
        return y;
    }

    @Override public double[] toDoubleArray(Tensor t) {
        DType d = check("toDoubleArray", t);
        ClTensor x = t(t);
        if (d == DType.FLOAT64) {
            double[] out = new double[x.n()];
            cl.read(x.mem(), Pointer.to(out), (long) out.length * Double.BYTES);
            return out;
        }
        float[] f = readFloats(x);
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) out[i] = f[i];
        return out;
    }

    @Override public float[] toFloatArray(Tensor t) {
        DType d = check("toFloatArray", t);
        ClTensor x = t(t);
        if (d == DType.FLOAT32) return readFloats(x);
        double[] v = toDoubleArray(x);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (float) v[i];
        return out;
    }

    @Override public Tensor cast(Tensor t, DType dtype) {
        DType from = check("cast", t);
        supported("cast", dtype);
        ClTensor x = t(t), y = alloc(x.shape(), dtype);
        if (from == dtype) {
            cl.copy(x.mem(), y.mem(), x.size() * dtype.bytes());
        } else {
            cl.launch1(dtype, "memory.cl", from == DType.FLOAT32 ? "cast_from_float" : "cast_from_double", x.n(), x, y, x.n());
        }
        return y;
    }

    /** Bytes of device buffers held by live tensors (and by temporaries of ops in flight). */
    @Override public long liveBytes() { return backend.pool().liveBytes(); }

    private float[] readFloats(ClTensor x) {
        float[] out = new float[x.n()];
        cl.read(x.mem(), Pointer.to(out), (long) out.length * Float.BYTES);
        return out;
    }

    private void supported(String op, DType dtype) {
        if (!backend.dtypes().contains(dtype))
            throw new UnsupportedOperationException(op + ": unsupported dtype " + dtype + " on opencl device " + backend.device());
    }

    private static void checkLength(int length, Shape shape) {
        if (length != shape.size())
            throw new IllegalArgumentException("fromArray: " + length + " elements do not fill shape " + shape + " (" + shape.size() + " elements)");
    }
}
