package io.github.knetj.opencl;

import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;

import java.util.Locale;

/**
 * A hand-run benchmark (not a test): float32 matmul GFLOP/s of both kernel families on the chosen OpenCL device at
 * n = 512 and 1024 (or the sizes given as arguments). Prints one line per run and a JSON line at the end.
 * <pre>{@code java -cp <test class path> io.github.knetj.opencl.MatmulBenchmark [n ...]}</pre>
 */
public final class MatmulBenchmark {
    private MatmulBenchmark() {}

    public static void main(String[] args) {
        OpenClBackendProvider p = new OpenClBackendProvider();
        if (!p.availability().available()) {
            System.out.println("{\"benchmark\":\"matmul\",\"status\":\"unavailable\",\"reason\":\"" + p.availability().reason() + "\"}");
            return;
        }
        OpenClDevices.Device device = OpenClDevices.choose(OpenClDevices.all(), OpenClDevices.selector());
        int[] sizes = args.length == 0 ? new int[] {512, 1024} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        StringBuilder json = new StringBuilder("{\"benchmark\":\"matmul\",\"device\":\"" + device.name() + "\",\"gflops\":{");
        for (OpenClBackend.Family family : OpenClBackend.Family.values()) {
            OpenClBackend b = new OpenClBackend(device, family);
            for (int n : sizes) {
                double gflops = run(b, n);
                System.out.printf(Locale.ROOT, "%-10s n=%5d float32: %7.2f GFLOP/s%n", family, n, gflops);
                json.append(String.format(Locale.ROOT, "\"%s/%d\":%.2f,", family, n, gflops));
            }
        }
        json.setLength(json.length() - 1);
        System.out.println(json.append("}}"));
    }

    /** Best of a few timed products after a warm-up (which also compiles the kernels). */
    private static double run(OpenClBackend b, int n) {
        Shape s = Shape.of(n, n);
        Tensor x = b.random().uniform(s, DType.FLOAT32, -1, 1, 1), y = b.random().uniform(s, DType.FLOAT32, -1, 1, 2);
        b.linalg().matmul(x, y).close();
        b.cl().finish();
        double best = Double.MAX_VALUE;
        int reps = n <= 512 ? 5 : 3;
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            Tensor z = b.linalg().matmul(x, y);
            b.cl().finish();
            best = Math.min(best, (System.nanoTime() - t0) * 1e-9);
            z.close();
        }
        x.close();
        y.close();
        return 2.0 * n * n * n / best * 1e-9;
    }
}
