package io.github.knetj.data;

import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.autograd.Defaults;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Batching, shuffling per epoch, partial batches and input shapes. */
class MinibatchTest {
    /** 10 examples of shape (2, 1); example i holds (i, 100 + i) and label i. */
    private static Minibatch data(int batch) {
        float[] x = new float[20];
        int[] y = new int[10];
        for (int i = 0; i < 10; i++) { x[2 * i] = i; x[2 * i + 1] = 100 + i; y[i] = i; }
        return Minibatch.of(x, y, new int[]{2, 1}, batch);
    }

    private static List<Integer> labels(Iterable<Batch> epoch) {
        List<Integer> out = new ArrayList<>();
        for (Batch b : epoch) for (int l : b.labels()) out.add(l);
        return out;
    }

    @Test void batchesInOrderWithTheGivenShape() {
        Minibatch m = data(4);
        assertEquals(2, m.size());
        assertEquals(8, m.examples());
        List<Batch> batches = new ArrayList<>();
        m.forEach(batches::add);
        assertEquals(2, batches.size());
        Batch first = batches.get(0);
        assertEquals(Shape.of(4, 2, 1), first.x().shape());
        assertEquals(Defaults.dtype(), first.x().dtype());
        assertArrayEquals(new int[]{0, 1, 2, 3}, first.labels());
        assertArrayEquals(new float[]{4, 104, 5, 105, 6, 106, 7, 107}, batches.get(1).x().data().toFloatArray());
    }

    @Test void partialKeepsTheLastSmallBatch() {
        Minibatch m = data(4).partial(true);
        assertEquals(3, m.size());
        assertEquals(10, m.examples());
        List<Batch> batches = new ArrayList<>();
        m.forEach(batches::add);
        assertEquals(Shape.of(2, 2, 1), batches.get(2).x().shape());
        assertArrayEquals(new int[]{8, 9}, batches.get(2).labels());
    }

    @Test void shuffleIsSeededAndDiffersPerEpoch() {
        Minibatch a = data(5).shuffle(42), b = data(5).shuffle(42);
        List<Integer> a0 = labels(a), a1 = labels(a), b0 = labels(b);
        assertEquals(a0, b0, "same seed, same first epoch");
        assertNotEquals(a0, a1, "the next epoch is re-shuffled");
        List<Integer> sorted = new ArrayList<>(a1);
        sorted.sort(null);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), sorted, "an epoch holds every example once");
        assertNotEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), a0);
        assertEquals(a1, labels(() -> data(5).shuffle(42).epoch(1)), "epoch e depends only on seed and e");
        for (Batch x : data(5).shuffle(7)) {
            float[] v = x.x().data().toFloatArray();
            for (int i = 0; i < x.size(); i++) assertEquals(x.labels()[i] + 100, v[2 * i + 1], "inputs travel with their labels");
        }
    }

    @Test void float64WhenThatIsTheDefault() {
        DType before = Defaults.dtype();
        Defaults.dtype(DType.FLOAT64);
        try {
            Batch b = data(3).iterator().next();
            assertEquals(DType.FLOAT64, b.x().dtype());
            assertArrayEquals(new double[]{0, 100, 1, 101, 2, 102}, b.x().data().toDoubleArray(), 0);
        } finally {
            Defaults.dtype(before);
        }
    }

    @Test void mismatchedSizesAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Minibatch.of(new float[7], new int[3], new int[]{2}, 1));
        assertTrue(e.getMessage().contains("7") && e.getMessage().contains("[2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> data(0));
        assertThrows(java.util.NoSuchElementException.class, () -> { var it = data(10).iterator(); it.next(); it.next(); });
        assertEquals("[2, 1]", Arrays.toString(data(2).xsize()));
    }
}
