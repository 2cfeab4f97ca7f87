package io.github.knetj.docs;

import io.github.knetj.api.Backend;
import io.github.knetj.api.BackendProvider;
import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.TensorScope;
import io.github.knetj.api.UnaryOp;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chapter 1, tensors and backends: the samples of docs/01-tensors-and-backends.md, run and checked. */
class Chapter01Test {
    @Test
    void aBackendAndATensor() {
        // tag::backend[]
        Backend b = Backends.get();                    // "auto": the best backend that can start here
        System.out.println(b.name() + ": " + b.device());
        Tensor t = b.memory().fromArray(new double[]{1, 2, 3, 4, 5, 6}, Shape.of(2, 3), DType.FLOAT32);
        System.out.println(t);                         // Tensor[2, 3] float32 on cpu: [[1, 2, 3], [4, 5, 6]]
        // end::backend[]
        assertEquals(Shape.of(2, 3), t.shape());
        assertSame(b, t.backend());
        assertTrue(t.toString().startsWith("Tensor[2, 3] float32 on " + b.name() + ": [[1, 2, 3], [4, 5, 6]]"), t.toString());

        // tag::kernels[]
        Tensor y = b.fused().unary(UnaryOp.TANH, t);            // tanh of every element
        Tensor rows = b.reductions().sum(t, new int[]{1}, false);     // [6, 15]: the sum of each row
        Tensor gram = b.linalg().matmul(t, t, false, true);           // t·tᵀ, shape [2, 2]
        double[] host = gram.toDoubleArray();                         // back to Java: [14, 32, 32, 77]
        // end::kernels[]
        assertEquals(Math.tanh(6), y.toDoubleArray()[5], 1e-6);
        assertArrayEquals(new double[]{6, 15}, rows.toDoubleArray(), 0);
        assertArrayEquals(new double[]{14, 32, 32, 77}, host, 0);
    }

    @Test
    void movingBetweenBackendsAndDtypes() {
        Backend b = Backends.get();
        Tensor t = b.memory().fromArray(new double[]{1, 2, 3, 4, 5, 6}, Shape.of(2, 3), DType.FLOAT32);
        // tag::move[]
        Backend reference = Backends.get("reference");   // the scalar oracle every backend is tested against
        Tensor there = t.to(reference);                  // the same numbers on another backend
        Tensor wide = t.to(DType.FLOAT64);               // the same numbers in double precision
        System.out.println(there + "\n" + wide);
        // end::move[]
        assertSame(reference, there.backend());
        assertEquals(DType.FLOAT64, wide.dtype());
        assertArrayEquals(t.toDoubleArray(), there.toDoubleArray(), 0);

        // tag::mixing[]
        try {
            b.fused().binary(io.github.knetj.api.BinaryOp.ADD, t, wide);   // float32 + float64
        } catch (IllegalArgumentException e) {
            System.out.println(e.getMessage());   // add: mixed dtypes [2, 3] float32, [2, 3] float64, expected one dtype ...
        }
        // end::mixing[]
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.fused().binary(io.github.knetj.api.BinaryOp.ADD, t, wide));
        assertTrue(e.getMessage().startsWith("add: mixed dtypes"), e.getMessage());
    }

    @Test
    void listingTheBackends() {
        // tag::list[]
        for (BackendProvider p : Backends.providers())
            System.out.println(p.name() + " (priority " + p.priority() + "): " + p.availability());
        List<Backend> usable = Backends.available();   // those that can start, best first
        // end::list[]
        List<String> names = Backends.providers().stream().map(BackendProvider::name).toList();
        assertTrue(names.containsAll(List.of("reference", "cpu")), names.toString());
        assertFalse(usable.isEmpty());
        assertEquals("reference", Backends.get("reference").name());
    }

    @Test
    void scopesReleaseWhatAStepMade() {
        Backend b = Backends.get();
        // tag::scope[]
        Tensor w = b.memory().fromArray(new double[64 * 64], Shape.of(64, 64), DType.FLOAT32);
        Tensor kept, dropped;
        try (TensorScope scope = TensorScope.open()) {
            Tensor h = b.fused().unary(UnaryOp.TANH, b.linalg().matmul(w, w, false, false));
            dropped = b.fused().unary(UnaryOp.EXP, h);
            kept = scope.keep(b.fused().unary(UnaryOp.SIGMOID, h));   // survives the scope
        }                                                                  // h and dropped are released here
        System.out.println(kept.toDoubleArray()[0]);                       // 0.5
        // dropped.toDoubleArray() now throws IllegalStateException: "... was closed with its TensorScope ..."
        // end::scope[]
        assertEquals(0.5, kept.toDoubleArray()[0]);
        if (!b.name().equals("reference")) assertThrows(IllegalStateException.class, dropped::toDoubleArray);
    }
}
