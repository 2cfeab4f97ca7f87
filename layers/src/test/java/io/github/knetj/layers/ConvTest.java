package io.github.knetj.layers;

import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Ops;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.github.knetj.autograd.AutoGrad.diff;
import static io.github.knetj.autograd.Ops.array;
import static io.github.knetj.layers.LayerTesting.gradcheck;
import static io.github.knetj.layers.LayerTesting.input;
import static io.github.knetj.layers.LayerTesting.on;
import static io.github.knetj.layers.LayerTesting.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conv, DeConv, Pool and UnPool. */
class ConvTest {
    @ParameterizedTest(name = "{0}") @MethodSource("io.github.knetj.layers.LayerTesting#backends")
    void gradients(String backend) {
        on(backend, DType.FLOAT64, () -> {
            gradcheck(new Conv(3, 3, 2, 3), input(2, 2, 5, 5));
            gradcheck(new Conv(3, 3, 2, 2, 2, 1, 2, new Tanh()), input(1, 2, 5, 5));
            gradcheck(new DeConv(3, 3, 2, 2), input(1, 2, 3, 3));
            gradcheck(new DeConv(2, 2, 3, 2, 2, 0, null), input(1, 3, 3, 3));
            gradcheck(new Pool(2), input(1, 2, 4, 4));
            gradcheck(new Chain(new Conv(3, 3, 2, 3, null), new Pool(2)), input(2, 2, 6, 7));
            gradcheck(new Pool(3, 2, 1, Pool.Mode.AVG), input(1, 2, 5, 5));
            gradcheck(new Pool(2, Pool.Mode.AVG), input(2, 1, 4, 4));
            gradcheck(new UnPool(2), input(1, 2, 3, 3));
        });
    }

    /**
     * A convolution without activation followed by max pooling runs as one call in a {@link Chain}: the same values
     * and gradients, to the bit, as the two layers applied one after the other (LeNet's first layer in float32, where
     * the CPU backend pools each image inside the convolution, and a float64 case that composes the two calls).
     */
    @ParameterizedTest(name = "{0}") @MethodSource("io.github.knetj.layers.LayerTesting#backends")
    void convolutionThenMaxPoolingAsOneCall(String backend) {
        for (DType dtype : DType.values()) on(backend, dtype, () -> {
            Conv conv = new Conv(5, 5, 1, 20, null);
            Pool pool = new Pool(2);
            Chain chain = new Chain(conv, pool, new ReLU());
            Value x = input(3, 1, 28, 28);
            Tape fused = diff(() -> squares(chain.apply(x)));
            Tape apart = diff(() -> squares(new ReLU().apply(pool.apply(conv.apply(x)))));
            String what = backend + " " + dtype;
            assertEquals(apart.value(), fused.value(), 0, what);
            assertArrayEquals(values(apart.grad(conv.w())), values(fused.grad(conv.w())), 0, what + " dW");
            assertArrayEquals(values(apart.grad(conv.b())), values(fused.grad(conv.b())), 0, what + " db");
            assertArrayEquals(values(apart.grad(x)), values(fused.grad(x)), 0, what + " dx");
        });
    }

    private static Value squares(Value y) { return Ops.sum(Ops.mul(y, y)); }

    @Test
    void shapes() {
        on("reference", DType.FLOAT64, () -> {
            Conv c = new Conv(5, 5, 1, 20);
            assertEquals(Shape.of(20, 1, 5, 5), c.w().shape(), "OIHW weights");
            assertEquals(Shape.of(1, 20, 1, 1), c.b().shape());
            assertEquals(Shape.of(2, 20, 24, 24), c.apply(input(2, 1, 28, 28)).shape());
            assertEquals(Shape.of(1, 4, 4, 4), new Conv(3, 3, 2, 4, 2, 1, 1, null).apply(input(1, 2, 8, 8)).shape());
            DeConv d = new DeConv(2, 2, 8, 4, 2, 0, null);
            assertEquals(Shape.of(8, 4, 2, 2), d.w().shape(), "(in, out, kh, kw) weights");
            assertEquals(Shape.of(1, 4, 6, 10), d.apply(input(1, 8, 3, 5)).shape());
            assertEquals(Shape.of(2, 3, 3, 3), new Pool(2).apply(input(2, 3, 6, 7)).shape());
            assertEquals(Shape.of(2, 3, 12, 14), new UnPool(2).apply(input(2, 3, 6, 7)).shape());
        });
    }

    @Test
    void poolAndUnpoolValues() {
        on("reference", DType.FLOAT64, () -> {
            Value x = array(new double[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, 1, 1, 4, 4);
            assertArrayEquals(new double[]{6, 8, 14, 16}, values(new Pool(2).apply(x)), 0);
            assertArrayEquals(new double[]{3.5, 5.5, 11.5, 13.5}, values(new Pool(2, Pool.Mode.AVG).apply(x)), 1e-15);
            assertArrayEquals(new double[]{1, 1, 2, 2, 1, 1, 2, 2}, values(new UnPool(2).apply(array(new double[]{1, 2}, 1, 1, 1, 2))), 0);
        });
    }

    @Test
    void printsLikeFlux() {
        on("reference", DType.FLOAT64, () -> {
            assertEquals("Conv((5, 5), 1 => 20, relu)", new Conv(5, 5, 1, 20).toString());
            assertEquals("Conv((3, 3), 2 => 4, stride=2, pad=1, dilation=2)", new Conv(3, 3, 2, 4, 2, 1, 2, null).toString());
            assertEquals("DeConv((2, 2), 8 => 4, relu, stride=2)", new DeConv(2, 2, 8, 4, 2, 0, new ReLU()).toString());
            assertEquals("Pool(2, max)", new Pool(2).toString());
            assertEquals("Pool(3, stride=2, pad=1, avg)", new Pool(3, 2, 1, Pool.Mode.AVG).toString());
            assertEquals("UnPool(2)", new UnPool(2).toString());
        });
    }

    @Test
    void wrongChannelsIsAClearError() {
        on("reference", DType.FLOAT64, () -> {
            String m = assertThrows(IllegalArgumentException.class, () -> new Conv(3, 3, 2, 4).apply(input(1, 3, 5, 5))).getMessage();
            assertTrue(m.contains("Conv((3, 3), 2 => 4, relu)") && m.contains("[1, 3, 5, 5]"), m);
            m = assertThrows(IllegalArgumentException.class, () -> new Pool(2).apply(input(3, 5))).getMessage();
            assertTrue(m.contains("Pool(2, max)") && m.contains("(N, C, H, W)"), m);
        });
    }
}
