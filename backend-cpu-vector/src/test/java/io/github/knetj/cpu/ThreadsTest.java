package io.github.knetj.cpu;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Conv2d;
import io.github.knetj.api.DType;
import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.UnaryOp;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** One thread and two give bit-identical results: work is split only between independent output elements. */
class ThreadsTest {
    /** Runs every op once per thread count and returns all results. */
    private static List<double[]> run(Backend be, int threads, DType d) {
        int before = CpuBackend.threads();
        CpuBackend.setThreads(threads);
        try {
            SplittableRandom r = new SplittableRandom(7);
            Tensor a = MatmulTest.random(be, r, Shape.of(300, 257), d), b = MatmulTest.random(be, r, Shape.of(257, 190), d);
            Tensor x = MatmulTest.random(be, r, Shape.of(3, 4, 30, 30), d), w = MatmulTest.random(be, r, Shape.of(6, 4, 5, 3), d);
            Tensor big = MatmulTest.random(be, r, Shape.of(64, 3000), d);
            Conv2d spec = new Conv2d(2, 1, 1, 2, 1, 2);
            Tensor y = be.convolution().conv2d(x, w, spec);
            List<Function<Backend, Tensor>> ops = List.of(
                    e -> e.linalg().matmul(a, b),
                    e -> e.linalg().matmul(a, a, true, false),
                    e -> y,
                    e -> e.convolution().conv2dBackwardInput(y, w, x.shape(), spec),
                    e -> e.convolution().conv2dBackwardWeight(x, y, w.shape(), spec),
                    e -> e.convolution().maxPool2d(x, Pool2d.of(3, 2, 1, false)),
                    e -> e.reductions().sum(big, new int[] {1}, false),
                    e -> e.reductions().sum(big, new int[] {0}, false),
                    e -> e.fused().logsumexp(big, null, false),
                    e -> e.fused().logSoftmax(big, 1),
                    e -> e.fused().unary(UnaryOp.TANH, big));
            List<double[]> out = new ArrayList<>();
            for (var op : ops) out.add(op.apply(be).toDoubleArray());
            return out;
        } finally {
            CpuBackend.setThreads(before);
        }
    }

    @Test void oneAndTwoThreadsAgreeBitForBit() {
        for (Backend be : new Backend[] {new CpuBackend(true), new CpuBackend(false)}) for (DType d : DType.values()) {
            List<double[]> one = run(be, 1, d), two = run(be, 2, d);
            for (int i = 0; i < one.size(); i++) assertArrayEquals(one.get(i), two.get(i), "op " + i + " " + d + " on " + be.device());
        }
    }

    @Test void threadCountIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> CpuBackend.setThreads(0));
        int before = CpuBackend.threads();
        CpuBackend.setThreads(3);
        assertEquals(3, CpuBackend.threads());
        CpuBackend.setThreads(before);
    }
}
