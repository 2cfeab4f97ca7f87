package io.github.knetj.layers;

import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static io.github.knetj.autograd.Ops.add;
import static io.github.knetj.autograd.Ops.matmul;
import static io.github.knetj.autograd.Ops.tanh;
import static io.github.knetj.layers.LayerTesting.gradcheck;
import static io.github.knetj.layers.LayerTesting.input;
import static io.github.knetj.layers.LayerTesting.on;
import static io.github.knetj.layers.LayerTesting.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chain and MLP, a user's own layer, and the walks over a model (Params, Layers). */
class ChainTest {
    /** A user's layer, written as in Knet's README: a record with two parameters and a call. */
    record Affine(Param w, Param b) implements Layer {
        Affine(int in, int out) { this(Init.param(out, in), Init.param0(out)); }
        @Override public Value apply(Value x) { return tanh(add(matmul(x, w, false, true), b)); }
    }

    /** A user's model class holding layers in fields, one of which trains differently. */
    static final class Net {
        final Affine first = new Affine(3, 4);
        final Dropout drop = new Dropout(0.5);
        final List<Layer> rest = List.of(new Dense(4, 2), new BatchNorm(2));
    }

    @ParameterizedTest(name = "{0}") @MethodSource("io.github.knetj.layers.LayerTesting#backends")
    void gradients(String backend) {
        on(backend, DType.FLOAT64, () -> {
            gradcheck(new Chain(new Affine(3, 4), new Dense(4, 3, new Sigm()), new Linear(3, 2)), input(2, 3));
            gradcheck(new MLP(new Tanh(), 3, 4, 2), input(2, 3));
            gradcheck(new Chain(new Conv(3, 3, 1, 2), new Pool(2), new Dense(8, 3, null)), input(2, 1, 6, 6));
        });
    }

    @Test
    void indexingAndSlicing() {
        on("reference", DType.FLOAT64, () -> {
            Dense a = new Dense(3, 4), b = new Dense(4, 5, new Tanh());
            Linear c = new Linear(5, 2);
            Chain chain = new Chain(a, b, c);
            assertEquals(3, chain.size());
            assertSame(b, chain.get(1));
            Chain tail = chain.slice(1, 3);
            assertEquals(2, tail.size());
            assertSame(b, tail.get(0));
            Value x = input(2, 3);
            assertArrayEquals(values(chain.apply(x)), values(tail.apply(chain.slice(0, 1).apply(x))), 1e-12);
            assertEquals(4, tail.params().size(), "a slice shares the parameters of its layers");
            assertSame(b.w(), tail.params().get(0));
            assertEquals(0, chain.slice(2, 2).size());
            assertThrows(IndexOutOfBoundsException.class, () -> chain.get(3));
            assertThrows(IndexOutOfBoundsException.class, () -> chain.slice(2, 4));
        });
    }

    @Test
    void mlpIsAChainOfDenseLayers() {
        on("reference", DType.FLOAT64, () -> {
            MLP mlp = new MLP(784, 100, 10);
            assertEquals(2, mlp.size());
            assertEquals("Dense(784 => 100, relu)", mlp.get(0).toString());
            assertEquals("Dense(100 => 10)", mlp.get(1).toString());
            assertEquals("MLP(784 => 100 => 10, relu)", mlp.toString());
            MLP dropped = new MLP(new Tanh(), 0.2, 4, 8, 8, 2);
            assertEquals(5, dropped.size(), "Dense, Dropout, Dense, Dropout, Dense");
            assertTrue(dropped.get(1) instanceof Dropout && dropped.get(3) instanceof Dropout);
            assertEquals("MLP(4 => 8 => 8 => 2, tanh, dropout=0.2)", dropped.toString());
            assertEquals(Shape.of(3, 2), dropped.apply(input(3, 4)).shape());
            assertEquals((4 * 8 + 8) + (8 * 8 + 8) + (8 * 2 + 2), Layers.parameterCount(dropped));
            assertThrows(IllegalArgumentException.class, () -> new MLP(5));
        });
    }

    @Test
    void printsOneLayerPerLine() {
        on("reference", DType.FLOAT64, () -> {
            Chain inner = new Chain(new Dense(2, 8), new Dropout(0.5));
            assertEquals("""
                    Chain(
                      Conv((5, 5), 1 => 20, relu),
                      Pool(2, max),
                      Chain(
                        Dense(2 => 8, relu),
                        Dropout(0.5),
                      ),
                      Dense(8 => 1),
                    )""", new Chain(new Conv(5, 5, 1, 20), new Pool(2), inner, new Dense(8, 1, null)).toString());
        });
    }

    @Test
    void aUsersLayerIsFoundByParams() {
        on("reference", DType.FLOAT64, () -> {
            Affine mine = new Affine(3, 2);
            assertEquals(List.of(mine.w(), mine.b()), Params.of(mine));
            assertEquals(List.of("w", "b"), List.copyOf(Params.named(mine).keySet()));
            Chain chain = new Chain(mine, new Dense(2, 2));
            assertEquals(List.of("layers.0.w", "layers.0.b", "layers.1.w", "layers.1.b"), List.copyOf(Params.named(chain).keySet()));
            assertEquals(List.of("first.w", "first.b", "rest.0.w", "rest.0.b", "rest.1.gamma", "rest.1.beta"),
                    List.copyOf(Params.named(new Net()).keySet()));
            assertEquals(Shape.of(5, 2), mine.apply(input(5, 3)).shape());
        });
    }

    @Test
    void trainingModeReachesEveryPart() {
        on("reference", DType.FLOAT64, () -> {
            Net net = new Net();
            BatchNorm bn = (BatchNorm) net.rest.get(1);
            assertEquals(2, Layers.setTraining(net, false));
            assertEquals(Boolean.FALSE, net.drop.forcedTraining());
            assertEquals(Boolean.FALSE, bn.forcedTraining());
            Layers.setTraining(net, true);
            assertTrue(net.drop.isTraining() && bn.isTraining());
            Layers.followRecording(net);
            assertTrue(!net.drop.isTraining() && bn.forcedTraining() == null, "outside diff, following recording means evaluating");
            Chain chain = new Chain(new Dense(2, 2), new Dropout(0.1)).eval();
            assertEquals(Boolean.FALSE, ((Dropout) chain.get(1)).forcedTraining());
            assertEquals(Boolean.TRUE, ((Dropout) chain.train().get(1)).forcedTraining());
        });
    }
}
