package io.github.knetj.cuda;

import io.github.knetj.api.Backends;
import io.github.knetj.api.Conv2d;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;

import java.util.Locale;

/**
 * A hand-run benchmark of the CUDA backend, printed as JSON lines next to which {@code src/test/python/torch_bench.py}
 * prints PyTorch's: square matmuls in float32 and float64, and the two LeNet convolutions (batch 100) forward and
 * backward. Each timing covers queued kernels up to a stream synchronisation, after warm-up.
 * <pre>{@code java -cp ... io.github.knetj.cuda.CudaMatmulBench [sizes, default 256,512,1024,2048,4096]}</pre>
 */
public final class CudaMatmulBench {
    private CudaMatmulBench() {}

    public static void main(String[] args) {
        CudaBackend cuda = (CudaBackend) Backends.get("cuda");
        System.err.println("[bench] " + cuda.device());
        String sizes = args.length > 0 ? args[0] : "256,512,1024,2048,4096";
        for (DType d : DType.values()) {
            for (String s : sizes.split(",")) {
                int n = Integer.parseInt(s.trim());
                try (Tensor a = cuda.random().uniform(Shape.of(n, n), d, -1, 1, 1); Tensor b = cuda.random().uniform(Shape.of(n, n), d, -1, 1, 2)) {
                    double sec = time(cuda, () -> cuda.linalg().matmul(a, b).close());
                    double gflops = 2.0 * n * n * n / sec / 1e9;
                    System.out.println(String.format(Locale.ROOT, "{\"bench\":\"matmul\",\"impl\":\"knetj-cuda\",\"dtype\":\"%s\",\"n\":%d,\"ms\":%.4f,\"gflops\":%.1f}", d.label(), n, sec * 1e3, gflops));
                }
            }
        }
        lenetConv(cuda, "conv1", Shape.of(100, 1, 28, 28), Shape.of(20, 1, 5, 5));
        lenetConv(cuda, "conv2", Shape.of(100, 20, 12, 12), Shape.of(50, 20, 5, 5));
        System.out.println("{\"bench\":\"done\",\"impl\":\"knetj-cuda\",\"device\":\"" + cuda.device().replace("\"", "'") + "\"}");
    }

    /** Forward, and forward plus both backward passes, of one LeNet convolution in float32. */
    private static void lenetConv(CudaBackend cuda, String name, Shape xs, Shape ws) {
        DType d = DType.FLOAT32;
        Conv2d spec = Conv2d.defaults();
        try (Tensor x = cuda.random().normal(xs, d, 0, 1, 3); Tensor w = cuda.random().normal(ws, d, 0, 0.1, 4)) {
            Shape ys = spec.outputShape(xs, ws);
            try (Tensor dy = cuda.random().normal(ys, d, 0, 1, 5)) {
                double fwd = time(cuda, () -> cuda.convolution().conv2d(x, w, spec).close());
                double all = time(cuda, () -> {
                    cuda.convolution().conv2d(x, w, spec).close();
                    cuda.convolution().conv2dBackwardInput(dy, w, xs, spec).close();
                    cuda.convolution().conv2dBackwardWeight(x, dy, ws, spec).close();
                });
                System.out.println(String.format(Locale.ROOT, "{\"bench\":\"lenet_%s\",\"impl\":\"knetj-cuda\",\"x\":\"%s\",\"w\":\"%s\",\"fwd_ms\":%.4f,\"fwd_bwd_ms\":%.4f}", name, xs, ws, fwd * 1e3, all * 1e3));
            }
        }
    }

    /** Seconds per run: 3 warm-up runs, then doubling batches of runs until one batch takes at least 0.3 s. */
    private static double time(CudaBackend cuda, Runnable op) {
        for (int i = 0; i < 3; i++) op.run();
        cuda.cuda().synchronize();
        for (int runs = 1; ; runs *= 2) {
            long t0 = System.nanoTime();
            for (int i = 0; i < runs; i++) op.run();
            cuda.cuda().synchronize();
            double sec = (System.nanoTime() - t0) / 1e9;
            if (sec >= 0.3 || runs >= 1 << 16) return sec / runs;
        }
    }
}
