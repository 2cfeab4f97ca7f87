package io.github.knetj.bench;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
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

/** The float32 matrix product C = A·B of two n × n matrices (2n³ flops; GFLOP/s = 2n³ / time). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:Tier3DelayOn=100000", "-XX:TypeProfileMajorReceiverPercent=100", "-XX:-UseBimorphicInlining", "-Xmx4g"})
public class MatmulBench {
    @Param({"256", "1024", "2048"})
    int n;

    /** The backend by name, as {@link io.github.knetj.api.Backends#get(String)} takes it. */
    @Param({"cpu"})
    String backend;

    @Param({"2"})
    int threads;

    private Backend b;
    private Tensor x, y;

    @Setup
    public void setUp() {
        b = BenchBackend.open(backend, threads);
        x = b.random().uniform(Shape.of(n, n), DType.FLOAT32, -1, 1, 1);
        y = b.random().uniform(Shape.of(n, n), DType.FLOAT32, -1, 1, 2);
    }

    @Benchmark
    public Tensor matmul() { return b.linalg().matmul(x, y, false, false); }
}
