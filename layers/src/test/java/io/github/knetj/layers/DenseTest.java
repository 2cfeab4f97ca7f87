package io.github.knetj.layers;

import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;

import static io.github.knetj.autograd.Ops.array;
import static io.github.knetj.layers.LayerTesting.gradcheck;
import static io.github.knetj.layers.LayerTesting.input;
import static io.github.knetj.layers.LayerTesting.on;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DenseTest {
    @ParameterizedTest(name = "{0}") @MethodSource("io.github.knetj.layers.LayerTesting#backends")
    void gradients(String backend) {
        on(backend, DType.FLOAT64, () -> {
            gradcheck(new Linear(3, 2), input(4, 3));
            gradcheck(new Linear(3, 2, false), input(4, 3));
            gradcheck(new Dense(3, 2), input(4, 3));
            gradcheck(new Dense(12, 2, new Tanh()), input(2, 3, 2, 2));   // flattened with mat
        });
    }

    @Test
    void shapesAndLayout() {
        on("reference", DType.FLOAT64, () -> {
            Dense d = new Dense(12, 5);
            assertEquals(Shape.of(5, 12), d.w().shape(), "weights are (out, in)");
            assertEquals(Shape.of(5), d.b().shape());
            assertEquals(Shape.of(2, 5), d.apply(input(2, 3, 4)).shape());
            Linear l = new Linear(3, 2, false);
            assertNull(l.b());
            assertEquals(1, l.params().size());
            assertEquals(Shape.of(7, 2), l.apply(input(7, 3)).shape());
        });
    }

    @Test
    void computesXWTransposePlusB() {
        on("reference", DType.FLOAT64, () -> {
            Linear l = new Linear(new Param(Init.ones(2, 3)), new Param(Init.ones(2)));
            double[] y = LayerTesting.values(l.apply(array(new double[]{1, 2, 3, -4, -5, -6}, 2, 3)));
            assertEquals(List.of(7.0, 7.0, -14.0, -14.0), Arrays.stream(y).boxed().toList());
            Dense d = new Dense(l.w(), l.b(), new ReLU());
            double[] r = LayerTesting.values(d.apply(array(new double[]{1, 2, 3, -4, -5, -6}, 2, 3)));
            assertEquals(List.of(7.0, 7.0, 0.0, 0.0), Arrays.stream(r).boxed().toList());
        });
    }

    @Test
    void printsLikeFlux() {
        on("reference", DType.FLOAT64, () -> {
            assertEquals("Dense(784 => 100, relu)", new Dense(784, 100).toString());
            assertEquals("Dense(100 => 10)", new Dense(100, 10, null).toString());
            assertEquals("Dense(4 => 2, leakyrelu(0.2))", new Dense(4, 2, new LeakyReLU(0.2)).toString());
            assertEquals("Linear(784 => 10)", new Linear(784, 10).toString());
            assertEquals("Linear(3 => 2, bias=false)", new Linear(3, 2, false).toString());
        });
    }

    @Test
    void wrongInputIsAClearError() {
        on("reference", DType.FLOAT64, () -> {
            var e = assertThrows(IllegalArgumentException.class, () -> new Dense(4, 2).apply(input(3, 5)));
            assertTrue(e.getMessage().contains("Dense(4 => 2, relu)") && e.getMessage().contains("[3, 5]"), e.getMessage());
            Value x32 = new Value(input(3, 4).data().to(DType.FLOAT32));
            String m = assertThrows(IllegalArgumentException.class, () -> new Linear(4, 2).apply(x32)).getMessage();
            assertTrue(m.contains("float32") && m.contains("float64"), m);
        });
    }
}
