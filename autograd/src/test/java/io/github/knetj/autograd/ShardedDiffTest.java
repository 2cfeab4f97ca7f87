package io.github.knetj.autograd;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.AutoGrad.Value;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static io.github.knetj.autograd.Ops.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A batch differentiated in shards gives the whole batch's mean loss and parameter gradients: on the reference backend
 * (shards one after another) and on the CPU backend (shards on two threads at once), in float64 against
 * {@link AutoGrad#diff} of the whole batch.
 */
class ShardedDiffTest {
    private static final int N = 11, IN = 7, OUT = 3;

    /** The mean cross-entropy of a two-layer net on examples [from, to). */
    private static Value loss(Param w1, Param b1, Param w2, Value x, int[] labels, int from, int to) {
        Value rows = new Value(x.backend().layout().slice(x.data(), 0, from, to));
        Value h = tanh(add(matmul(rows, w1, false, true), b1));
        return NNOps.crossEntropy(matmul(h, w2, false, true), Arrays.copyOfRange(labels, from, to));
    }

    private static void sameAsWholeBatch(Backend b) {
        SplittableRandom r = new SplittableRandom(7);
        Param w1 = new Param(random(b, r, 5, IN)), b1 = new Param(random(b, r, 5)), w2 = new Param(random(b, r, OUT, 5));
        Value x = new Value(random(b, r, N, IN));
        int[] labels = r.ints(N, 0, OUT).toArray();
        Tape whole = AutoGrad.diff(() -> loss(w1, b1, w2, x, labels, 0, N));
        for (int shards : new int[]{1, 2, 3, N}) {
            int[] sizes = ShardedDiff.split(N, shards), first = new int[shards];
            for (int k = 1; k < shards; k++) first[k] = first[k - 1] + sizes[k - 1];
            Tape parts = ShardedDiff.mean(b, sizes, k -> loss(w1, b1, w2, x, labels, first[k], first[k] + sizes[k]));
            String what = b.name() + ", " + shards + " shards " + Arrays.toString(sizes);
            assertEquals(whole.value(), parts.value(), 1e-14, what + ": loss");
            for (Param p : new Param[]{w1, b1, w2})
                assertArrayEquals(whole.grad(p).data().toDoubleArray(), parts.grad(p).data().toDoubleArray(), 1e-14, what + ": gradient of " + p.shape());
        }
    }

    private static io.github.knetj.api.Tensor random(Backend b, SplittableRandom r, int... dims) {
        double[] v = r.doubles(Shape.of(dims).sizeInt(), -1, 1).toArray();
        return b.memory().fromArray(v, Shape.of(dims), DType.FLOAT64);
    }

    @Test
    void shardsOneAfterAnotherGiveTheWholeBatch() { sameAsWholeBatch(Backends.get("reference")); }

    @Test
    void shardsOnTwoThreadsGiveTheWholeBatch() {
        Backend cpu = Backends.get("cpu");
        sameAsWholeBatch(cpu);
    }

    @Test
    void splitsEvenlyLargerFirstAndRefusesImpossibleCuts() {
        assertArrayEquals(new int[]{4, 3, 3}, ShardedDiff.split(10, 3));
        assertArrayEquals(new int[]{1, 1}, ShardedDiff.split(2, 2));
        assertEquals("ShardedDiff.split: cannot cut 2 examples into 3 shards", assertThrows(IllegalArgumentException.class, () -> ShardedDiff.split(2, 3)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShardedDiff.mean(Backends.get("reference"), new int[]{2, 0}, k -> null));
    }

    @Test
    void insideDiffItIsRefused() {
        Backend b = Backends.get("reference");
        Param w = new Param(b.memory().fromArray(new double[]{1, 2}, Shape.of(2), DType.FLOAT64));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> AutoGrad.diff(() -> ShardedDiff.mean(b, new int[]{1, 1}, k -> sum(w)).result()));
        assertEquals("ShardedDiff.mean: called inside diff; higher-order gradients need one tape, use AutoGrad.diff", e.getMessage());
    }
}
