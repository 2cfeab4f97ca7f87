package io.github.knetj.cpu;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Conv2d;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A hand-run benchmark, not a test: float32 matmul GFLOP/s at n = 256, 512, 1024, 2048 (and float64 at 1024),
 * and the two LeNet convolution layers (batch 100) forward + both backward passes in ms. From the repository root:
 * <pre>{@code
 * mvn -q -pl backend-cpu-vector test-compile
 * java --add-modules jdk.incubator.vector -Dknetj.threads=2 \
 *   -cp backend-cpu-vector/target/classes:backend-cpu-vector/target/test-classes:$HOME/.m2/repository/io/github/knetj/knetj-api/0.1.0-SNAPSHOT/knetj-api-0.1.0-SNAPSHOT.jar \
 *   io.github.knetj.cpu.MatmulBenchmark [simd-off]
 * }</pre>
 * Each figure is the median of several timed runs after warm-up; on a shared machine expect noise.
 */
public final class MatmulBenchmark {
    private MatmulBenchmark() {}

    public static void main(String[] args) {
        Backend be = new CpuBackend(!(args.length > 0 && args[0].equals("simd-off")));
        System.out.println("device: " + be.device());
        SplittableRandom r = new SplittableRandom(1);
        for (int n : new int[] {256, 512, 1024, 2048}) matmul(be, r, DType.FLOAT32, n);
        matmul(be, r, DType.FLOAT64, 1024);
        conv(be, r, "LeNet conv1 (100,1,28,28)*(20,1,5,5)", Shape.of(100, 1, 28, 28), Shape.of(20, 1, 5, 5));
        conv(be, r, "LeNet conv2 (100,20,12,12)*(50,20,5,5)", Shape.of(100, 20, 12, 12), Shape.of(50, 20, 5, 5));
    }

    private static void matmul(Backend be, SplittableRandom r, DType d, int n) {
        Tensor a = MatmulTest.random(be, r, Shape.of(n, n), d), b = MatmulTest.random(be, r, Shape.of(n, n), d);
        int reps = Math.max(3, (int) (4e9 / (2.0 * n * n * n)));
        double ms = median(() -> be.linalg().matmul(a, b), reps);
        System.out.printf(Locale.ROOT, "matmul %s n=%d: %.1f GFLOP/s (%.2f ms, median of %d)%n", d, n, 2.0 * n * n * n / (ms * 1e6), ms, reps);
    }

    private static void conv(Backend be, SplittableRandom r, String label, Shape xs, Shape ws) {
        Tensor x = MatmulTest.random(be, r, xs, DType.FLOAT32), w = MatmulTest.random(be, r, ws, DType.FLOAT32);
        Conv2d spec = Conv2d.defaults();
        Tensor dy = MatmulTest.random(be, r, spec.outputShape(xs, ws), DType.FLOAT32);
        double fwd = median(() -> be.convolution().conv2d(x, w, spec), 20);
        double bwdX = median(() -> be.convolution().conv2dBackwardInput(dy, w, xs, spec), 20);
        double bwdW = median(() -> be.convolution().conv2dBackwardWeight(x, dy, ws, spec), 20);
        System.out.printf(Locale.ROOT, "%s: forward %.2f ms, backward input %.2f ms, backward weight %.2f ms, total %.2f ms%n",
                label, fwd, bwdX, bwdW, fwd + bwdX + bwdW);
    }

    /** Median wall time in ms of {@code reps} runs after as many warm-up runs. */
    private static double median(java.util.function.Supplier<Tensor> op, int reps) {
        for (int i = 0; i < reps; i++) op.get();
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            op.get();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }
}
