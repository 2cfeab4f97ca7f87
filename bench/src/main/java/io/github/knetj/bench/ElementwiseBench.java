package io.github.knetj.bench;

import io.github.knetj.api.Backend;
import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.UnaryOp;
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
 * Element-wise ops and reductions at the sizes a training step meets: a LeNet activation (100 × 20 × 24 × 24 =
 * 1.15 M elements) and a Dense layer's output (100 × 500) with its bias broadcast along the rows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:Tier3DelayOn=100000", "-XX:TypeProfileMajorReceiverPercent=100", "-XX:-UseBimorphicInlining", "-Xmx4g"})
public class ElementwiseBench {
    /** The backend by name, as {@link io.github.knetj.api.Backends#get(String)} takes it. */
    @Param({"cpu"})
    String backend;

    @Param({"2"})
    int threads;

    private Backend b;
    private Tensor big, big2, dense, bias;

    @Setup
    public void setUp() {
        b = BenchBackend.open(backend, threads);
        big = b.random().uniform(Shape.of(100, 20, 24, 24), DType.FLOAT32, -1, 1, 1);
        big2 = b.random().uniform(Shape.of(100, 20, 24, 24), DType.FLOAT32, -1, 1, 2);
        dense = b.random().uniform(Shape.of(100, 500), DType.FLOAT32, -1, 1, 3);
        bias = b.random().uniform(Shape.of(500), DType.FLOAT32, -1, 1, 4);
    }

    @Benchmark
    public Tensor relu() { return b.fused().unary(UnaryOp.RELU, big); }

    @Benchmark
    public Tensor add() { return b.fused().binary(BinaryOp.ADD, big, big2); }

    @Benchmark
    public Tensor biasAdd() { return b.fused().binary(BinaryOp.ADD, dense, bias); }

    @Benchmark
    public Tensor sumAll() { return b.reductions().sum(big, new int[] {0, 1, 2, 3}, false); }

    @Benchmark
    public Tensor sumRows() { return b.reductions().sum(dense, new int[] {0}, false); }

    @Benchmark
    public Tensor logSoftmax() { return b.fused().logSoftmax(dense, 1); }
}
