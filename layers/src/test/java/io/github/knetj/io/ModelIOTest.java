package io.github.knetj.io;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.BatchNormStats;
import io.github.knetj.autograd.Ops;
import io.github.knetj.optim.Optimizer;
import io.github.knetj.optim.Optimizers;
import io.github.knetj.tck.BackendUnderTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Saving and loading whole models with optimizer state and batch-norm statistics. */
class ModelIOTest {
    private final Backend b = BackendUnderTest.get("reference");
    @TempDir Path dir;

    /** A model as a user writes one: parameters, a nested list of them, running statistics. */
    static final class Tiny {
        final Param w;
        final List<Param> layers;
        final BatchNormStats bn;

        Tiny(Backend b, double seed) {
            w = new Param(b.memory().fromArray(new double[]{seed, seed + 1, seed + 2, seed + 3}, Shape.of(2, 2), DType.FLOAT64));
            layers = List.of(new Param(b.memory().fromArray(new double[]{seed * 2, -seed}, Shape.of(2), DType.FLOAT64)));
            bn = new BatchNormStats(b.memory().full(Shape.of(2), DType.FLOAT64, seed), b.memory().ones(Shape.of(2), DType.FLOAT64));
        }

        AutoGrad.Value loss() { return Ops.sum(Ops.square(Ops.add(Ops.sum(w, false, 0), layers.get(0)))); }
    }

    private static void train(Tiny m, Optimizer opt, int steps) { for (int i = 0; i < steps; i++) opt.step(AutoGrad.diff(m::loss)); }

    @Test void modelAndAdamStateRoundTripSoTrainingResumesIdentically() throws IOException {
        Tiny a = new Tiny(b, 0.5);
        Optimizer optA = Optimizers.adam(0.1);
        train(a, optA, 2);
        Path f = dir.resolve("tiny.safetensors");
        ModelIO.save(f, a, optA);
        assertEquals("adam", SafeTensors.metadata(f).get("optimizer"));
        assertTrue(SafeTensors.load(f, b, null).containsKey("optim/layers.0/exp_avg_sq"));
        assertTrue(SafeTensors.load(f, b, null).containsKey("bn.running_mean"));

        Tiny c = new Tiny(b, 9);
        Optimizer optC = Optimizers.adam(0.1);
        ModelIO.load(f, c, optC);
        assertArrayEquals(a.w.data().toDoubleArray(), c.w.data().toDoubleArray(), 0);
        assertArrayEquals(a.bn.mean().toDoubleArray(), c.bn.mean().toDoubleArray(), 0);
        assertEquals(2, optC.steps());
        train(a, optA, 1);
        train(c, optC, 1);
        assertArrayEquals(a.w.data().toDoubleArray(), c.w.data().toDoubleArray(), 0);
        assertArrayEquals(a.layers.get(0).data().toDoubleArray(), c.layers.get(0).data().toDoubleArray(), 0);
    }

    @Test void notesTravelInTheMetadataAndCannotShadowModelIOsOwnKeys() throws IOException {
        Tiny a = new Tiny(b, 1);
        Path f = dir.resolve("notes.safetensors");
        ModelIO.save(f, a, Optimizers.sgd(0.1), Map.of("knetj.mnist.inputs", "standardized"));
        Map<String, String> meta = SafeTensors.metadata(f);
        assertEquals("standardized", meta.get("knetj.mnist.inputs"));
        assertEquals(ModelIO.FORMAT, meta.get("format"));
        assertEquals("sgd", meta.get("optimizer"));
        Tiny c = new Tiny(b, 4);
        ModelIO.load(f, c, null);
        assertArrayEquals(a.w.data().toDoubleArray(), c.w.data().toDoubleArray(), 0);
        Path g = dir.resolve("bad.safetensors");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelIO.save(g, a, null, Map.of("optimizer", "adam")));
        assertTrue(e.getMessage().contains("'optimizer'"), e.getMessage());
        assertFalse(Files.exists(g), "nothing is written when the metadata is refused");
    }

    @Test void parametersOnlyAndFloat32Models() throws IOException {
        Tiny a = new Tiny(b, 1);
        Path f = dir.resolve("p.safetensors");
        ModelIO.save(f, a, null);
        Tiny c = new Tiny(b, 3);
        c.w.set(c.w.data().to(DType.FLOAT32));
        ModelIO.load(f, c, null);
        assertEquals(DType.FLOAT32, c.w.data().dtype());
        assertArrayEquals(a.w.data().toFloatArray(), c.w.data().toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelIO.load(f, new Tiny(b, 2), Optimizers.adam(1)));
        assertTrue(e.getMessage().contains("no optimizer state"), e.getMessage());
    }

    @Test void missingNamesShapeMismatchesAndOtherOptimizersAreClearErrors() throws IOException {
        Tiny a = new Tiny(b, 1);
        Optimizer sgd = Optimizers.momentum(0.1, 0.9);
        train(a, sgd, 1);
        Path f = dir.resolve("m.safetensors");
        ModelIO.save(f, a, sgd);
        Tiny c = new Tiny(b, 4);
        double[] before = c.w.data().toDoubleArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelIO.load(f, c, Optimizers.adam(0.1)));
        assertTrue(e.getMessage().contains("'momentum', not of 'adam'"), e.getMessage());
        assertArrayEquals(before, c.w.data().toDoubleArray(), 0, "a failed load leaves the model unchanged");

        Map<String, Tensor> t = new java.util.LinkedHashMap<>(SafeTensors.load(f, b, null));
        t.remove("layers.0");
        t.put("w", b.memory().zeros(Shape.of(3), DType.FLOAT64));
        t.put("extra", b.memory().zeros(Shape.of(1), DType.FLOAT64));
        Path g = dir.resolve("broken.safetensors");
        SafeTensors.save(g, t, SafeTensors.metadata(f));
        e = assertThrows(IllegalArgumentException.class, () -> ModelIO.load(g, c, null));
        assertTrue(e.getMessage().contains("missing 'layers.0'"), e.getMessage());
        assertTrue(e.getMessage().contains("'w' has shape [3] in the file but [2, 2]"), e.getMessage());
        assertTrue(e.getMessage().contains("[extra]"), e.getMessage());
    }

    @Test void writesAreAtomicAndLeaveNoTemporaryFiles() throws IOException {
        Path f = dir.resolve("a.safetensors");
        ModelIO.save(f, new Tiny(b, 1), null);
        ModelIO.save(f, new Tiny(b, 2), null);
        try (var s = Files.list(dir)) { assertEquals(List.of(f), s.toList()); }
        assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> { out.write(1); throw new IOException("disk full"); }));
        try (var s = Files.list(dir)) { assertEquals(List.of(f), s.toList()); }
        Tiny c = new Tiny(b, 7);
        ModelIO.load(f, c, null);
        assertEquals(2, c.w.data().toDoubleArray()[0]);
    }
}
