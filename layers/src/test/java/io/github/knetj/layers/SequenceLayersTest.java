package io.github.knetj.layers;

import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;

import static io.github.knetj.autograd.Ops.array;
import static io.github.knetj.autograd.Ops.slice;
import static io.github.knetj.layers.LayerTesting.gradcheck;
import static io.github.knetj.layers.LayerTesting.input;
import static io.github.knetj.layers.LayerTesting.on;
import static io.github.knetj.layers.LayerTesting.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Embed and Attention, the layers of sequence models. */
class SequenceLayersTest {
    @ParameterizedTest(name = "{0}") @MethodSource("io.github.knetj.layers.LayerTesting#backends")
    void gradients(String backend) {
        on(backend, DType.FLOAT64, () -> {
            Embed e = new Embed(5, 3);
            Value ids = array(new double[]{0, 4, 4, 2, 1, 0}, 2, 3);   // repeated indices: their gradients add up
            gradcheck(e.toString(), () -> e.apply(ids), e, Map.of());
            gradcheck(new Attention(4, 2, false), input(2, 3, 4));
            gradcheck(new Attention(4, 1, true), input(2, 3, 4));
        });
    }

    @Test
    void embedLooksUpRows() {
        on("reference", DType.FLOAT64, () -> {
            Embed e = new Embed(new Param(array(new double[]{0, 1, 10, 11, 20, 21}, 3, 2).data()));
            Value y = e.apply(array(new double[]{2, 0, 1, 2}, 2, 2));
            assertEquals(Shape.of(2, 2, 2), y.shape());
            assertArrayEquals(new double[]{20, 21, 0, 1, 10, 11, 20, 21}, values(y), 0);
            assertEquals(Shape.of(3, 2), e.apply(new int[]{1, 1, 0}).shape());
            assertEquals("Embed(3 => 2)", e.toString());
            String m = assertThrows(IllegalArgumentException.class, () -> e.apply(new int[]{3})).getMessage();
            assertTrue(m.contains("Embed(3 => 2)") && m.contains("index 3"), m);
        });
    }

    @Test
    void attentionShapesAndCausality() {
        on("reference", DType.FLOAT64, () -> {
            Attention a = new Attention(8, 2, true);
            Value x = input(2, 5, 8);
            Value y = a.apply(x);
            assertEquals(Shape.of(2, 5, 8), y.shape());
            assertEquals(8, a.params().size(), "four projections with bias");
            // causal: the first three outputs do not depend on the last two positions
            Value changed = io.github.knetj.autograd.Ops.concat(1, slice(x, 1, 0, 3), input(2, 2, 8));
            assertArrayEquals(values(slice(y, 1, 0, 3)), values(slice(a.apply(changed), 1, 0, 3)), 1e-12);
            assertEquals("Attention(8, heads=2, causal)", a.toString());
            assertEquals("Attention(16)", new Attention(16, false).toString());
            assertThrows(IllegalArgumentException.class, () -> new Attention(6, 4, false));
        });
    }
}
