package io.github.knetj.bench;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Conv2d;
import io.github.knetj.api.DType;
import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * conv2d forward, backward-input and backward-weight, and 2×2 max pooling, on the peers' cases: LeNet's two layers at
 * batch 100 and a ResNet 3×3 64→64 layer (padding 1) at batch 32.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:Tier3DelayOn=100000", "-XX:TypeProfileMajorReceiverPercent=100", "-XX:-UseBimorphicInlining", "-Xmx4g"})
public class ConvBench {
    @Param({"lenet_conv1", "lenet_conv2", "resnet_3x3"})
    String shape;

    /** The backend by name, as {@link io.github.knetj.api.Backends#get(String)} takes it. */
    @Param({"cpu"})
    String backend;

    @Param({"2"})
    int threads;

    private Backend b;
    private Tensor x, w, y, dy;
    private Conv2d spec;
    private final Pool2d pool = Pool2d.of(2);

    @Setup
    public void setUp() {
        b = BenchBackend.open(backend, threads);
        int[][] xw = switch (shape) {
            case "lenet_conv1" -> new int[][] {{100, 1, 28, 28}, {20, 1, 5, 5}};
            case "lenet_conv2" -> new int[][] {{100, 20, 12, 12}, {50, 20, 5, 5}};
            case "resnet_3x3" -> new int[][] {{32, 64, 32, 32}, {64, 64, 3, 3}};
            default -> throw new IllegalArgumentException("ConvBench: unknown shape " + shape);
        };
        spec = Conv2d.of(1, shape.equals("resnet_3x3") ? 1 : 0, 1);
        x = b.random().uniform(Shape.of(xw[0]), DType.FLOAT32, -1, 1, 3);
        w = b.random().uniform(Shape.of(xw[1]), DType.FLOAT32, -1, 1, 4);
        y = b.convolution().conv2d(x, w, spec);
        dy = b.random().uniform(y.shape(), DType.FLOAT32, -1, 1, 5);
    }

    @Benchmark
    public Tensor forward() { return b.convolution().conv2d(x, w, spec); }

    @Benchmark
    public Tensor backwardInput() { return b.convolution().conv2dBackwardInput(dy, w, x.shape(), spec); }

    @Benchmark
    public Tensor backwardWeight() { return b.convolution().conv2dBackwardWeight(x, dy, w.shape(), spec); }

    @Benchmark
    public Tensor maxPool() { return b.convolution().maxPool2d(y, pool); }

    @Benchmark
    public Tensor maxPoolBackward() {
        Tensor p = b.convolution().maxPool2d(y, pool);
        return b.convolution().maxPool2dBackward(p, y, pool);
    }
}
