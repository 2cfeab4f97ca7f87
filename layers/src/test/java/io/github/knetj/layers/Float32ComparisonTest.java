package io.github.knetj.layers;

import io.github.knetj.layers.transformer.MultiheadAttention;
import io.github.knetj.layers.transformer.PositionEmbedding;
import io.github.knetj.layers.transformer.SinusoidalPosition;
import io.github.knetj.layers.transformer.TransformerEncoderLayer;

import io.github.knetj.api.DType;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.tck.Tolerance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static io.github.knetj.autograd.AutoGrad.diff;
import static io.github.knetj.autograd.Ops.array;
import static io.github.knetj.autograd.Ops.mul;
import static io.github.knetj.autograd.Ops.sum;
import static io.github.knetj.layers.LayerTesting.input;
import static io.github.knetj.layers.LayerTesting.on;

/**
 * Every layer in float32 on a backend against the same layer on the reference backend: the same seed builds the same
 * parameters and inputs on both (Init draws on the host), so outputs and gradients must agree within the float32
 * tolerances of the backend test kit.
 */
class Float32ComparisonTest {
    /** A layer and an input for it, both built under the test's seed. */
    record Case(Supplier<Layer> layer, Supplier<Value> input) {}

    static List<Case> cases() {
        return List.of(
                new Case(() -> new Linear(5, 3), () -> input(4, 5)),
                new Case(() -> new Dense(12, 4, new GELU()), () -> input(2, 3, 2, 2)),
                new Case(() -> new Conv(3, 3, 2, 4), () -> input(2, 2, 6, 6)),
                new Case(() -> new Conv(3, 3, 2, 3, 2, 1, 2, new ELU()), () -> input(1, 2, 7, 7)),
                new Case(() -> new DeConv(2, 2, 3, 2, 2, 0, new Sigm()), () -> input(2, 3, 3, 3)),
                new Case(() -> new DeConv(3, 3, 2, 2), () -> input(1, 2, 4, 4)),
                new Case(() -> new Pool(2), () -> input(2, 2, 4, 4)),
                new Case(() -> new Pool(3, 2, 1, Pool.Mode.AVG), () -> input(1, 2, 5, 5)),
                new Case(() -> new UnPool(2), () -> input(1, 2, 3, 3)),
                new Case(() -> new Dropout(0.4).train(), () -> input(6, 7)),
                new Case(() -> new BatchNorm(3).train(), () -> input(2, 3, 2, 2)),
                new Case(() -> new BatchNorm(3).eval(), () -> input(5, 3)),
                new Case(() -> new LayerNorm(6), () -> input(2, 3, 6)),
                new Case(() -> new Embed(7, 4), () -> array(new double[]{6, 0, 3, 3, 1, 5}, 2, 3)),
                new Case(() -> new Attention(8, 2, true), () -> input(2, 4, 8)),
                new Case(() -> new MultiheadAttention(8, 2, 0.3), () -> input(2, 4, 8)),
                new Case(() -> new TransformerEncoderLayer(8, 2, 16, 0, new GELU(), true), () -> input(2, 4, 8)),
                new Case(() -> new TransformerEncoderLayer(8, 4, 12, 0, new ReLU(), false), () -> input(2, 3, 8)),
                new Case(() -> new PositionEmbedding(5, 8), () -> input(2, 4, 8)),
                new Case(() -> new SinusoidalPosition(8), () -> input(2, 4, 8)),
                new Case(() -> new MLP(new SELU(), 0.2, 4, 6, 3), () -> input(3, 4)),
                new Case(() -> new Chain(new Tanh(), new LeakyReLU(0.1), new Softmax(), new LogSoftmax(0), new ReLU()), () -> input(3, 5)));
    }

    @ParameterizedTest(name = "{0}") @ValueSource(strings = {"cpu", "opencl", "cuda"})
    void layersMatchTheReference(String backend) {
        for (Case c : cases()) {
            List<Tensor> expected = run(c, "reference");
            List<Tensor> actual = run(c, backend);
            String name = c.layer().get().toString().replace('\n', ' ');
            Tolerance.assertClose(name + " forward on " + backend, expected.get(0), actual.get(0), false);
            for (int i = 1; i < expected.size(); i++)
                Tolerance.assertClose(name + " gradient " + i + " on " + backend, expected.get(i), actual.get(i), true);
        }
    }

    /** The output, then the gradients of Σ r ⊙ output (r a fixed random weighting) for every parameter and the input. */
    private static List<Tensor> run(Case c, String backend) {
        List<Tensor> out = new ArrayList<>();
        on(backend, DType.FLOAT32, () -> {
            Layer layer = c.layer().get();
            Value x = c.input().get();
            Param px = x instanceof Param p ? p : null;   // Embed's indices are a constant
            Value y = layer.apply(x);
            Value r = new Value(Init.gaussian(1, y.shape().dims()));
            out.add(y.data());
            Init.seed(2);   // the dropout mask of the differentiated call is the same on both backends
            Tape tape = diff(() -> sum(mul(layer.apply(x), r)));
            List<Param> ps = new ArrayList<>(layer.params());
            if (px != null) ps.add(px);
            for (Param p : ps) out.add(tape.grad(p).data());
        });
        return out;
    }
}
