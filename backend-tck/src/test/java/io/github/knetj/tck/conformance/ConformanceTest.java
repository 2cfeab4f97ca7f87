package io.github.knetj.tck.conformance;

import io.github.knetj.api.Shape;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The conformance reader against the file's known structure. */
class ConformanceTest {
    private final Conformance vectors = Conformance.load();

    @Test
    void loadsEveryCaseAndOptimizer() {
        assertEquals(Conformance.FORMAT, vectors.format());
        assertTrue(vectors.reference().startsWith("PyTorch"), vectors.reference());
        assertEquals(105, vectors.cases().size());
        assertEquals(9, vectors.optimizers().size());
        Case conv = vectors.byName("conv2d/k3-stride2-pad1");
        assertEquals(Shape.of(2, 2, 7, 7), conv.input("x").shape());
        assertArrayEquals(new int[] {2, 2}, conv.attrs().getInts("stride"));
        assertEquals(Shape.of(2, 3, 4, 4), conv.output("y").shape());
        assertEquals(conv.input("x").shape(), conv.grad("x").shape());
        assertEquals(conv.input("w").shape(), conv.grad("w").shape());
    }

    @Test
    void intArraysAndAttributes() {
        Case emb = vectors.byName("embedding/repeated");
        NamedArray idx = emb.input("indices");
        assertEquals("int64", idx.dtype());
        assertEquals(6, idx.ints().length);
        for (int i : idx.ints()) assertTrue(i >= 0 && i < 6, "index " + i);
        Case sum = vectors.byName("sum/axes=None,keep=False");
        assertNull(sum.attrs().getInts("axes"));
        assertEquals(false, sum.attrs().getBoolean("keepdims"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sum.attrs().getInt("stride"));
        assertTrue(e.getMessage().contains("stride"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> emb.input("nothing"));
    }

    @Test
    void optimizerCases() {
        OptimizerCase adam = vectors.optimizer("optimizer/adam");
        assertEquals("adam", adam.attrs().getString("kind"));
        assertArrayEquals(new double[] {0.9, 0.999}, adam.attrs().getDoubles("betas"));
        assertEquals(3, adam.grads().size());
        assertEquals(3, adam.afterEachStep().size());
        assertEquals(adam.param().shape(), adam.afterEachStep().get(2).shape());
    }

    @Test
    void loadsFromAFileToo() throws Exception {
        Path tmp = Files.createTempFile("ops", ".json");
        try (var in = Conformance.class.getResourceAsStream(Conformance.RESOURCE)) {
            Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        try {
            Conformance fromFile = Conformance.load(tmp);
            assertEquals(vectors.cases().size(), fromFile.cases().size());
            assertArrayEquals(vectors.cases().get(0).input("x").data(), fromFile.cases().get(0).input("x").data());
        } finally {
            Files.delete(tmp);
        }
    }
}
