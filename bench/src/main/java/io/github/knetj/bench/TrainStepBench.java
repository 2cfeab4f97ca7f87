package io.github.knetj.bench;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.TensorScope;
import io.github.knetj.autograd.AutoGrad;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.autograd.NNOps;
import io.github.knetj.layers.Chain;
import io.github.knetj.layers.Conv;
import io.github.knetj.layers.Dense;
import io.github.knetj.layers.Init;
import io.github.knetj.layers.Params;
import io.github.knetj.layers.Pool;
import io.github.knetj.layers.ReLU;
import io.github.knetj.optim.Optimizer;
import io.github.knetj.optim.Optimizers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One training step at batch 100 (forward, backward, optimizer update, as the Trainer runs it inside a scope) of
 * Knet's LeNet with Adam and of the 784-100-50-10 MLP with SGD, on a fixed random batch. An MNIST epoch is 600 steps
 * plus the batch gathering, so 600 × this time is a lower bound of {@code ./knetj train}'s epoch time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:Tier3DelayOn=100000", "-XX:TypeProfileMajorReceiverPercent=100", "-XX:-UseBimorphicInlining", "-Xmx4g"})
public class TrainStepBench {
    @org.openjdk.jmh.annotations.Param({"lenet", "mlp"})
    String model;

    /** The backend by name, as {@link io.github.knetj.api.Backends#get(String)} takes it. */
    @org.openjdk.jmh.annotations.Param({"cpu"})
    String backend;

    @org.openjdk.jmh.annotations.Param({"2"})
    int threads;

    private Chain net;
    private Optimizer opt;
    private List<AutoGrad.Param> params;
    private Value x;
    private int[] labels;

    @Setup
    public void setUp() {
        Backend b = BenchBackend.open(backend, threads);
        Defaults.backend(b);
        Defaults.dtype(DType.FLOAT32);
        Init.seed(1);
        boolean lenet = model.equals("lenet");
        net = lenet
                ? new Chain(new Conv(5, 5, 1, 20, null), new Pool(2), new ReLU(), new Conv(5, 5, 20, 50, null), new Pool(2), new ReLU(),
                        new Dense(800, 500), new Dense(500, 10, null))
                : new Chain(new Dense(784, 100), new Dense(100, 50), new Dense(50, 10, null));
        opt = Optimizers.byName(lenet ? "adam" : "sgd", lenet ? 0.001 : 0.1);
        params = Params.of(net);
        x = new Value(b.random().uniform(lenet ? Shape.of(100, 1, 28, 28) : Shape.of(100, 784), DType.FLOAT32, 0, 1, 7));
        labels = new SplittableRandom(1).ints(100, 0, 10).toArray();
    }

    @Benchmark
    public double step() {
        try (TensorScope scope = TensorScope.open()) {
            AutoGrad.Tape tape = AutoGrad.diff(() -> NNOps.crossEntropy(net.apply(x), labels));
            opt.step(tape);
            for (AutoGrad.Param p : params) {
                scope.keep(p.data());
                for (var t : opt.slots(p)) scope.keep(t);
            }
            return tape.value();
        }
    }
}
