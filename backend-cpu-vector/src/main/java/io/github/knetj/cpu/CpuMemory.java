package io.github.knetj.cpu;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.HostTensor;
import io.github.knetj.api.Memory;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;

import java.util.Arrays;

/** The CPU backend's memory: tensors are {@link HostTensor}s, copies in are array copies, and the GC frees them. */
final class CpuMemory implements Memory {
    private final Backend backend;

    CpuMemory(Backend backend) { this.backend = backend; }

    @Override public Tensor fromArray(float[] data, Shape shape) {
        checkLength(data.length, shape);
        return HostTensor.of(backend, shape, data.clone());
    }

    public Tensor adopt(float[] data, Shape shape) {
        checkLength(data.length, shape);
        return HostTensor.of(backend, shape, data);
    }

    @Override public Tensor fromArray(double[] data, Shape shape, DType dtype) {
        checkLength(data.length, shape);
        if (dtype == DType.FLOAT64) return HostTensor.of(backend, shape, data.clone());
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) data[i];
        return HostTensor.of(backend, shape, f);
    }

    @Override public Tensor full(Shape shape, DType dtype, double value) {
        HostTensor t = HostTensor.zeros(backend, shape, dtype);
        if (value != 0 || Double.doubleToRawLongBits(value) != 0) {
            if (t.floats() != null) Arrays.fill(t.floats(), (float) value);
            else Arrays.fill(t.doubles(), value);
        }
        return t;
    }

    @Override public double[] toDoubleArray(Tensor t) {
        Host.check("toDoubleArray", backend, t);
        return Host.host(t).toDoubleArray();
    }

    @Override public float[] toFloatArray(Tensor t) {
        Host.check("toFloatArray", backend, t);
        return Host.host(t).toFloatArray();
    }

    @Override public Tensor cast(Tensor t, DType dtype) {
        Host.check("cast", backend, t);
        HostTensor h = Host.host(t);
        return dtype == DType.FLOAT32 ? HostTensor.of(backend, t.shape(), h.toFloatArray()) : HostTensor.of(backend, t.shape(), h.toDoubleArray());
    }

    private static void checkLength(int length, Shape shape) {
        if (length != shape.size())
            throw new IllegalArgumentException("fromArray: " + length + " elements do not fill shape " + shape + " (" + shape.size() + " elements)");
    }
}
