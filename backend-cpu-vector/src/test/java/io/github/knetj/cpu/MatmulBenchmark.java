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
 * Each figure is the best and the median of several timed runs after warm-up; on a shared machine the best is the
 * steadier one, and even it is noisy.
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
        double[] ms = times(() -> be.linalg().matmul(a, b), reps);
        double flop = 2.0 * n * n * n / 1e6;
        System.out.printf(Locale.ROOT, "matmul %s n=%d: best %.1f GFLOP/s, median %.1f GFLOP/s (%d runs)%n", d, n, flop / ms[0], flop / ms[1], reps);
    }

    private static void conv(Backend be, SplittableRandom r, String label, Shape xs, Shape ws) {
        Tensor x = MatmulTest.random(be, r, xs, DType.FLOAT32), w = MatmulTest.random(be, r, ws, DType.FLOAT32);
        Conv2d spec = Conv2d.defaults();
        Tensor dy = MatmulTest.random(be, r, spec.outputShape(xs, ws), DType.FLOAT32);
        double[] fwd = times(() -> be.convolution().conv2d(x, w, spec), 20);
        double[] bwdX = times(() -> be.convolution().conv2dBackwardInput(dy, w, xs, spec), 20);
        double[] bwdW = times(() -> be.convolution().conv2dBackwardWeight(x, dy, ws, spec), 20);
        System.out.printf(Locale.ROOT, "%s, best (median) ms: forward %.2f (%.2f), backward input %.2f (%.2f), backward weight %.2f (%.2f), total %.2f (%.2f)%n",
                label, fwd[0], fwd[1], bwdX[0], bwdX[1], bwdW[0], bwdW[1], fwd[0] + bwdX[0] + bwdW[0], fwd[1] + bwdX[1] + bwdW[1]);
    }

    /** The best and the median wall time in ms of {@code reps} runs after as many warm-up runs. */
    private static double[] times(java.util.function.Supplier<Tensor> op, int reps) {
        for (int i = 0; i < reps; i++) op.get();
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            op.get();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return new double[] {t[0], t[reps / 2]};
    }
}
