package io.github.knetj.cpu;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.tck.reference.ReferenceBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The layout ops on tensors large enough for their copies to be split over threads (the suite's shapes are all below
 * that), against the reference backend element for element: by rows, along one long run, and concatenations of many
 * small pieces side by side.
 */
class LayoutCopiesTest {
    private static final Backend REF = new ReferenceBackend();

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void largeCopiesMatchTheReference(int threads) {
        int before = CpuBackend.threads();
        CpuBackend.setThreads(threads);
        try {
            for (DType d : DType.values()) {
                SplittableRandom r = new SplittableRandom(11);
                Tensor steps = MatmulTest.random(REF, r, Shape.of(16, 50, 512), d), cube = MatmulTest.random(REF, r, Shape.of(3, 70, 400), d);
                Tensor wide = MatmulTest.random(REF, r, Shape.of(4, 100_000), d), row = MatmulTest.random(REF, r, Shape.of(1, 5000), d);
                Tensor[] pieces = new Tensor[50];
                for (int i = 0; i < pieces.length; i++) pieces[i] = MatmulTest.random(REF, r, Shape.of(16, 1, 512), d);
                List<Function<Backend, Tensor>> ops = List.of(
                        b -> b.layout().permute(on(b, cube), 2, 0, 1),                       // strided rows
                        b -> b.layout().slice(on(b, steps), 1, 3, 47),                        // contiguous rows
                        b -> b.layout().slice(on(b, steps), 1, 7, 8),                         // one step, below the split
                        b -> b.layout().slice(on(b, wide), 0, 1, 2),                          // one long run
                        b -> b.layout().slice(on(b, wide), 1, 10, 99_990),                    // four long rows
                        b -> b.layout().broadcastTo(on(b, row), Shape.of(40, 5000)),          // rows read from one
                        b -> b.layout().concat(1, onAll(b, pieces)),                         // many small pieces
                        b -> b.layout().concat(0, on(b, cube), on(b, cube)),                  // two large ones
                        b -> b.fused().pad(on(b, cube), new int[] {0, 1, 2}, new int[] {1, 0, 3}, 0.5));
                for (int i = 0; i < ops.size(); i++) {
                    Backend cpu = new CpuBackend(true);
                    assertArrayEquals(ops.get(i).apply(REF).toDoubleArray(), ops.get(i).apply(cpu).toDoubleArray(),
                            "layout op " + i + ", " + d + ", " + threads + " thread(s)");
                }
            }
        } finally {
            CpuBackend.setThreads(before);
        }
    }

    private static Tensor on(Backend b, Tensor t) {
        return b == REF ? t : b.memory().fromArray(t.toDoubleArray(), t.shape(), t.dtype());
    }

    private static Tensor[] onAll(Backend b, Tensor[] ts) {
        Tensor[] out = new Tensor[ts.length];
        for (int i = 0; i < ts.length; i++) out[i] = on(b, ts[i]);
        return out;
    }
}
