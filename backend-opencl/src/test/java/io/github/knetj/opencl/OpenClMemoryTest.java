package io.github.knetj.opencl;

import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.TensorScope;
import io.github.knetj.api.UnaryOp;
import io.github.knetj.tck.BackendUnderTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Device memory is released deterministically: a training-like loop holds flat memory over 10,000 steps, scopes and
 * close() return buffers at once, reshapes share a buffer until both tensors close, and a closed tensor is an error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenClMemoryTest {
    private OpenClBackend backend;

    /** A backend of its own: tensors other tests leave to the garbage collector must not move its byte counts. */
    @BeforeAll
    void start() {
        BackendUnderTest.get("opencl");   // skips, or fails when required, with the reason if OpenCL cannot start
        backend = (OpenClBackend) new OpenClBackendProvider().create();
    }

    /**
     * One step: y = relu(x·w + bias), loss = Σ y, then the backward kernels (step mask, xᵀ·dy, column sum) and an
     * SGD update that replaces the parameter. Live bytes and the pool must be the same after step 100 and step 10,000.
     */
    @Test
    void tenThousandTrainingStepsKeepDeviceMemoryFlat() {
        DType d = DType.FLOAT32;
        Tensor x = backend.random().normal(Shape.of(8, 16), d, 0, 1, 1);
        Tensor bias = backend.memory().full(Shape.of(4), d, 0.1);
        Tensor w = backend.random().normal(Shape.of(16, 4), d, 0, 0.1, 2);
        long live100 = -1, reserved100 = -1, created100 = -1;
        double loss = 0;
        for (int step = 1; step <= 10_000; step++) {
            Tensor next;
            try (TensorScope scope = TensorScope.open()) {
                Tensor z = backend.fused().binary(BinaryOp.ADD, backend.linalg().matmul(x, w), bias);
                Tensor y = backend.fused().unary(UnaryOp.RELU, z);
                loss = backend.reductions().sum(y, null, false).item();
                Tensor dz = backend.fused().unary(UnaryOp.STEP, z);             // ∂loss/∂z = 1 · step(z)
                Tensor dw = backend.linalg().matmul(x, dz, true, false);
                backend.reductions().sum(dz, new int[] {0}, false);                   // the bias gradient, computed and dropped
                next = scope.keep(backend.fused().binary(BinaryOp.ADD, w, backend.fused().affine(dw, -1e-4, 0)));
            }
            w.close();
            w = next;
            if (step == 100) {
                live100 = backend.memory().liveBytes();
                reserved100 = backend.pool().reservedBytes();
                created100 = backend.pool().buffersCreated();
            }
        }
        assertTrue(Double.isFinite(loss), "loss after 10,000 steps is " + loss);
        assertEquals(live100, backend.memory().liveBytes(), "live device bytes after step 100 vs step 10,000");
        assertEquals(reserved100, backend.pool().reservedBytes(), "bytes the pool holds after step 100 vs step 10,000");
        assertEquals(created100, backend.pool().buffersCreated(), "clCreateBuffer calls after step 100 vs step 10,000");
        for (Tensor t : new Tensor[] {x, bias, w}) t.close();
    }

    @Test
    void scopeAndCloseReleaseBuffersAtOnce() {
        long before = backend.memory().liveBytes();
        try (TensorScope scope = TensorScope.open()) {
            Tensor a = backend.memory().ones(Shape.of(100, 10), DType.FLOAT32);
            backend.fused().unary(UnaryOp.EXP, a);
            assertTrue(backend.memory().liveBytes() >= before + 2 * 4000, "two live tensors of 4000 bytes are counted");
            assertEquals(2, scope.size());
        }
        assertEquals(before, backend.memory().liveBytes(), "live bytes after the scope closed");
        Tensor t = backend.memory().zeros(Shape.of(1000), DType.FLOAT32);
        t.close();
        t.close();   // idempotent
        assertEquals(before, backend.memory().liveBytes(), "live bytes after close()");
    }

    @Test
    void closedTensorIsAClearError() {
        Tensor t = backend.memory().ones(Shape.of(2, 3), DType.FLOAT32);
        t.close();
        IllegalStateException read = assertThrows(IllegalStateException.class, t::toDoubleArray);
        assertTrue(read.getMessage().contains("closed") && read.getMessage().contains("[2, 3]"), read.getMessage());
        IllegalStateException op = assertThrows(IllegalStateException.class, () -> backend.fused().unary(UnaryOp.EXP, t));
        assertTrue(op.getMessage().contains("closed"), op.getMessage());
    }

    @Test
    void reshapeSharesTheBufferUntilBothClose() {
        long before = backend.memory().liveBytes();
        Tensor a = backend.memory().fromArray(new float[] {1, 2, 3, 4, 5, 6}, Shape.of(2, 3));
        Tensor r = backend.layout().reshape(a, Shape.of(3, 2));
        long shared = backend.memory().liveBytes();
        a.close();
        assertEquals(shared, backend.memory().liveBytes(), "the reshaped tensor still holds the buffer");
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, r.toFloatArray());
        r.close();
        assertEquals(before, backend.memory().liveBytes(), "live bytes once both views are closed");
    }

    @Test
    void cleanerReturnsUnclosedTensors() throws InterruptedException {
        long before = backend.memory().liveBytes();
        makeGarbage();
        for (int i = 0; i < 100 && backend.memory().liveBytes() != before; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(before, backend.memory().liveBytes(), "live bytes once the unreachable tensor was cleaned");
    }

    private void makeGarbage() {
        Tensor t = backend.memory().ones(Shape.of(1 << 16), DType.FLOAT32);
        assertEquals(1.0, t.toDoubleArray()[0]);
    }
}
