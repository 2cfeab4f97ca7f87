package io.github.knetj.layers;

import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AutoGrad.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static io.github.knetj.autograd.Ops.array;
import static io.github.knetj.autograd.Ops.mul;
import static io.github.knetj.autograd.Ops.sigm;
import static io.github.knetj.layers.LayerTesting.gradcheck;
import static io.github.knetj.layers.LayerTesting.input;
import static io.github.knetj.layers.LayerTesting.on;
import static io.github.knetj.layers.LayerTesting.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ActivationTest {
    static List<Activation> all() {
        return List.of(new ReLU(), new Sigm(), new Tanh(), new ELU(), new ELU(0.5), new SELU(), new GELU(), new LeakyReLU(0.2),
                new Softmax(), new Softmax(0), new LogSoftmax(), new LogSoftmax(0), Activation.of("swish", x -> mul(x, sigm(x))));
    }

    @ParameterizedTest(name = "{0}") @MethodSource("io.github.knetj.layers.LayerTesting#backends")
    void gradients(String backend) {
        on(backend, DType.FLOAT64, () -> { for (Activation f : all()) gradcheck(f, input(3, 4)); });
    }

    @Test
    void computesTheFormulas() {
        on("reference", DType.FLOAT64, () -> {
            Value x = array(new double[]{-2, 0.5}, 1, 2);
            assertArrayEquals(new double[]{0, 0.5}, values(new ReLU().apply(x)), 1e-15);
            assertArrayEquals(new double[]{-0.4, 0.5}, values(new LeakyReLU(0.2).apply(x)), 1e-15);
            assertArrayEquals(new double[]{Math.exp(-2) - 1, 0.5}, values(new ELU().apply(x)), 1e-15);
            assertArrayEquals(new double[]{1 / (1 + Math.exp(2)), 1 / (1 + Math.exp(-0.5))}, values(new Sigm().apply(x)), 1e-15);
            double z = Math.exp(-2) + Math.exp(0.5);
            assertArrayEquals(new double[]{Math.exp(-2) / z, Math.exp(0.5) / z}, values(new Softmax().apply(x)), 1e-15);
            assertArrayEquals(new double[]{-2 - Math.log(z), 0.5 - Math.log(z)}, values(new LogSoftmax().apply(x)), 1e-15);
            assertArrayEquals(new double[]{1, 1}, values(new Softmax(0).apply(x)), 1e-15);   // one row: each column sums to itself
            assertEquals(Shape.of(1, 2), new GELU().apply(x).shape());
        });
    }

    @Test
    void printsNames() {
        assertEquals("ReLU() Sigm() Tanh() ELU() ELU(0.5) SELU() GELU() LeakyReLU(0.2) Softmax() Softmax(axis=0) LogSoftmax() LogSoftmax(axis=0) swish",
                String.join(" ", all().stream().map(Object::toString).toList()));
        assertEquals("relu sigm tanh elu elu(0.5) selu gelu leakyrelu(0.2) softmax softmax(axis=0) logsoftmax logsoftmax(axis=0) swish",
                String.join(" ", all().stream().map(Activation::name).toList()));
    }
}
