package io.github.knetj.tck.reference;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.HostTensor;
import io.github.knetj.api.Memory;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;

/** The reference backend's memory: tensors are {@link HostTensor}s, so copies in and out are array copies. */
final class ReferenceMemory implements Memory {
    private final Backend backend;

    ReferenceMemory(Backend backend) { this.backend = backend; }

    @Override public Tensor fromArray(float[] data, Shape shape) {
        checkLength("fromArray", data.length, shape);
        return HostTensor.of(backend, shape, data.clone());
    }

    public Tensor adopt(float[] data, Shape shape) {
        checkLength("adopt", data.length, shape);
        return HostTensor.of(backend, shape, data);
    }

    @Override public Tensor fromArray(double[] data, Shape shape, DType dtype) {
        checkLength("fromArray", data.length, shape);
        return ReferenceHost.result(backend, shape, dtype, data);
    }

    @Override public Tensor full(Shape shape, DType dtype, double value) {
        double[] v = new double[shape.sizeInt()];
        java.util.Arrays.fill(v, value);
        return ReferenceHost.result(backend, shape, dtype, v);
    }

    @Override public double[] toDoubleArray(Tensor t) {
        Checks.sameBackendAndDtype("toDoubleArray", backend, t);
        return ((HostTensor) t).toDoubleArray();
    }

    @Override public float[] toFloatArray(Tensor t) {
        Checks.sameBackendAndDtype("toFloatArray", backend, t);
        return ((HostTensor) t).toFloatArray();
    }

    @Override public Tensor cast(Tensor t, DType dtype) {
        Checks.sameBackendAndDtype("cast", backend, t);
        return ReferenceHost.result(backend, t.shape(), dtype, ((HostTensor) t).toDoubleArray());
    }

    private static void checkLength(String op, int length, Shape shape) {
        if (length != shape.size())
            throw new IllegalArgumentException(op + ": " + length + " elements do not fill shape " + shape + " (" + shape.size() + " elements)");
    }
}
