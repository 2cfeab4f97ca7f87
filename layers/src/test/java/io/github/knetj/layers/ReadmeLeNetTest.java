package io.github.knetj.layers;

import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Ops;
import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static io.github.knetj.autograd.AutoGrad.diff;
import static io.github.knetj.autograd.NNOps.conv4;
import static io.github.knetj.autograd.NNOps.pool;
import static io.github.knetj.autograd.Ops.add;
import static io.github.knetj.autograd.Ops.linear;
import static io.github.knetj.autograd.Ops.mat;
import static io.github.knetj.autograd.Ops.relu;
import static io.github.knetj.layers.Init.param;
import static io.github.knetj.layers.Init.param0;
import static io.github.knetj.layers.LayerTesting.on;
import static io.github.knetj.layers.Losses.crossEntropy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The LeNet of Knet's README, written the way a user would and built from the library's layers, side by side. */
class ReadmeLeNetTest {
    /** The user's version: their own layers, each a record with parameters and a call (Knet's {@code struct Conv; w; b; end}). */
    static final class Users {
        // ---- README snippet 1 (begin) ----
        record Conv(Param w, Param b) implements Layer {
            Conv(int kh, int kw, int cin, int cout) { this(param(cout, cin, kh, kw), param0(1, cout, 1, 1)); }
            public Value apply(Value x) { return relu(pool(add(conv4(w, x), b), 2)); }
        }

        record Dense(Param w, Param b, UnaryOperator<Value> f) implements Layer {
            Dense(int in, int out, UnaryOperator<Value> f) { this(param(out, in), param0(out), f); }
            public Value apply(Value x) { return f.apply(linear(mat(x), w, b)); }   // x wᵀ + b
        }

        static Chain lenet() {
            return new Chain(new Conv(5, 5, 1, 20), new Conv(5, 5, 20, 50),
                             new Dense(800, 500, Ops::relu), new Dense(500, 10, x -> x));
        }
        // ---- README snippet 1 (end) ----
    }

    /** The same model from the library's layers. */
    static Chain library() {
        // ---- README snippet 2 (begin) ----
        Chain lenet = new Chain(
                new Conv(5, 5, 1, 20), new Pool(2),
                new Conv(5, 5, 20, 50), new Pool(2),
                new Dense(800, 500), new Linear(500, 10));
        // ---- README snippet 2 (end) ----
        return lenet;
    }

    /** On the backend a user gets by default (every layer's gradient is checked on every backend elsewhere). */
    @Test
    void bothLeNetsClassifyDigitsAndAreDifferentiable() {
        on(Backends.get().name(), DType.FLOAT32, () -> {
            Value x = new Value(Init.gaussian(1, 2, 1, 28, 28));   // two 28×28 grey images
            int[] labels = {3, 7};
            for (Chain lenet : new Chain[]{Users.lenet(), library()}) {
                assertEquals(Shape.of(2, 10), lenet.apply(x).shape(), lenet.toString());
                // ---- README snippet 3 (begin) ----
                Tape tape = diff(() -> crossEntropy(lenet.apply(x), labels));
                for (Param p : lenet.params()) assertNotNull(tape.grad(p), "gradient of " + p.shape());
                // ---- README snippet 3 (end) ----
                assertEquals(8, lenet.params().size());
                for (Param p : lenet.params()) assertEquals(p.shape(), tape.grad(p).shape());
                assertEquals(Math.log(10), tape.value(), 1.5, "a fresh model is about uniform over 10 classes");
            }
        });
    }
}
