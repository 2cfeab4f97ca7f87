package io.github.knetj.train;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AutoGrad;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.BatchNormStats;
import io.github.knetj.autograd.NNOps;
import io.github.knetj.autograd.Ops;
import io.github.knetj.layers.Layer;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.data.Minibatch;
import io.github.knetj.optim.Optimizer;
import io.github.knetj.optim.Optimizers;
import io.github.knetj.tck.BackendUnderTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Device memory stays flat over training on backends that count it: each step's scope releases the batch, the
 * forward and backward intermediates, and the replaced parameters, optimizer state and batch-norm statistics.
 */
class DeviceMemoryTest {
    /** A perceptron with batch normalisation, whose running statistics are replaced at every training step. */
    record BnMlp(TrainerTest.Mlp mlp, Param gamma, Param beta, BatchNormStats stats) implements Layer {
        static BnMlp create(long seed) {
            Backend b = Defaults.backend();
            DType d = Defaults.dtype();
            return new BnMlp(TrainerTest.Mlp.create(seed), new Param(b.memory().ones(Shape.of(8), d)), new Param(b.memory().zeros(Shape.of(8), d)),
                    new BatchNormStats(b.memory().zeros(Shape.of(8), d), b.memory().ones(Shape.of(8), d)));
        }

        @Override public Value apply(Value x) {
            Value h = Ops.linear(x, mlp.w1(), mlp.b1());
            h = Ops.relu(NNOps.batchnorm(h, gamma, beta, stats, AutoGrad.recording(), 0.1, 1e-5));
            return Ops.linear(h, mlp.w2(), mlp.b2());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"opencl", "cuda"})
    void liveBytesDoNotGrowFromEpochToEpoch(String name) {
        Backend backend = BackendUnderTest.get(name);
        Backend before = Defaults.backend();
        Defaults.backend(backend);
        try {
            long start = backend.memory().liveBytes();
            if (start < 0) {
                BackendUnderTest.unavailable(name, "it does not count live device memory (liveBytes() is -1)");
                return;
            }
            BnMlp model = BnMlp.create(21);
            Minibatch train = TrainerTest.clusters(6, 22, 6).shuffle(1);
            Optimizer opt = Optimizers.adam(0.01).clipNorm(1);
            long[] afterEpoch = new long[4];
            Trainer t = new Trainer().test(TrainerTest.clusters(2, 23, 6)).progress(Trainer.Progress.OFF)
                    .progressTo(new PrintStream(new ByteArrayOutputStream(), true))
                    .onEpoch(e -> afterEpoch[e.epoch() - 1] = backend.memory().liveBytes());
            t.fit(model, train, opt, 4);
            // Epoch 1 creates the optimizer state; from then on every step must give back what it takes.
            assertEquals(afterEpoch[1], afterEpoch[3], "live bytes after epochs 1..4: " + java.util.Arrays.toString(afterEpoch));
            assertTrue(afterEpoch[0] == afterEpoch[1], "live bytes after epochs 1..4: " + java.util.Arrays.toString(afterEpoch));
        } finally {
            Defaults.backend(before);
        }
    }
}
