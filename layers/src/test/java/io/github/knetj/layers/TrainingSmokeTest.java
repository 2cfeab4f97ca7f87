package io.github.knetj.layers;

import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.DType;
import io.github.knetj.api.Fused;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Defaults;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.github.knetj.autograd.AutoGrad.diff;
import static io.github.knetj.autograd.Ops.array;
import static io.github.knetj.layers.LayerTesting.on;
import static io.github.knetj.layers.LayerTesting.values;
import static io.github.knetj.layers.Losses.bce;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tiny MLP learns XOR with plain gradient descent, p ← p − η·∂L/∂p, written inline with the backend's kernels. */
class TrainingSmokeTest {
    @ParameterizedTest(name = "{0}") @MethodSource("io.github.knetj.layers.LayerTesting#backends")
    void mlpLearnsXor(String backend) {
        on(backend, DType.FLOAT64, () -> {
            Value x = array(new double[]{0, 0, 0, 1, 1, 0, 1, 1}, 4, 2);
            Value y = array(new double[]{0, 1, 1, 0}, 4, 1);
            MLP model = new MLP(new Tanh(), 2, 8, 1);
            Fused e = Defaults.backend().fused();
            double lr = 0.5, first = Double.NaN, loss = Double.NaN;
            for (int step = 0; step < 600; step++) {
                Tape tape = diff(() -> bce(model.apply(x), y));
                loss = tape.value();
                if (step == 0) first = loss;
                for (Param p : model.params()) p.set(e.binary(BinaryOp.SUB, p.data(), e.affine(tape.grad(p).data(), lr, 0)));
            }
            assertTrue(loss < 0.02, "XOR loss went from " + first + " to " + loss + " on " + backend);
            double[] logits = values(model.apply(x));
            assertTrue(logits[0] < 0 && logits[1] > 0 && logits[2] > 0 && logits[3] < 0, "XOR logits " + java.util.Arrays.toString(logits));
        });
    }
}
