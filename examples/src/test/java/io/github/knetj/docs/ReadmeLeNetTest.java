package io.github.knetj.docs;

import io.github.knetj.api.Backends;
// tag::user[]
import io.github.knetj.api.DType;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.autograd.AutoGrad.*;
import io.github.knetj.autograd.Ops;
import io.github.knetj.data.*;
import io.github.knetj.layers.*;
import io.github.knetj.optim.Optimizers;
import io.github.knetj.train.Trainer;
import java.util.function.UnaryOperator;
import static io.github.knetj.autograd.NNOps.*;
import static io.github.knetj.autograd.Ops.*;
import static io.github.knetj.layers.Init.*;
// end::user[]
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's LeNet, written as a user would (their own layers on param, conv4, pool, mat, relu) and from the library's layers. */
class ReadmeLeNetTest {
    // tag::user[]

    record Conv(Param w, Param b) implements Layer {                     // Knet's struct Conv; w; b; end
        Conv(int kh, int kw, int cin, int cout) { this(param(cout, cin, kh, kw), param0(1, cout, 1, 1)); }
        public Value apply(Value x) { return relu(pool(add(conv4(w, x), b), 2)); }
    }

    record Dense(Param w, Param b, UnaryOperator<Value> f) implements Layer {
        Dense(int in, int out, UnaryOperator<Value> f) { this(param(out, in), param0(out), f); }
        public Value apply(Value x) { return f.apply(linear(mat(x), w, b)); }   // f(x wᵀ + b)
    }

    static double lenet(Mnist.Split train, Mnist.Split test, int epochs) {
        Defaults.dtype(DType.FLOAT32);   // ./knetj train's dtype (./knetj shell starts in float64, for gradient checks)
        Chain model = new Chain(new Conv(5, 5, 1, 20), new Conv(5, 5, 20, 50),
                                new Dense(800, 500, Ops::relu), new Dense(500, 10, x -> x));
        Minibatch dtrn = Minibatch.of(train.images(), train.labels(), new int[]{1, 28, 28}, 100).shuffle(1);
        Minibatch dtst = Minibatch.of(test.images(), test.labels(), new int[]{1, 28, 28}, 100);
        new Trainer().fit(model, dtrn, Optimizers.adam(0.001), epochs);   // cross-entropy, progress bar
        return Trainer.evaluate(model, dtst).accuracy();
    }
    // end::user[]

    /**
     * The user's LeNet learns a small synthetic digit set (MNIST itself is for ./knetj train, not the tests), in
     * float32 as ./knetj train does even where float64 was set, as in ./knetj shell.
     */
    @Test
    void theReadmeLeNetLearns() {
        Defaults.backend(Backends.get());
        Defaults.dtype(DType.FLOAT64);
        Init.seed(1);
        double accuracy = lenet(SyntheticDigits.make(400, 1), SyntheticDigits.make(200, 2), 2);
        assertTrue(accuracy > 0.9, "accuracy " + accuracy);
        assertEquals(DType.FLOAT32, Defaults.dtype(), "the README's LeNet trains in float32");
    }
}
