package io.github.knetj.layers;

import io.github.knetj.api.DType;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;

import static io.github.knetj.autograd.AutoGrad.diff;
import static io.github.knetj.autograd.Ops.square;
import static io.github.knetj.autograd.Ops.sum;
import static io.github.knetj.layers.LayerTesting.gradcheck;
import static io.github.knetj.layers.LayerTesting.input;
import static io.github.knetj.layers.LayerTesting.on;

/**
 * A gradient penalty, ‖∂f/∂x‖² differentiated with respect to the parameters (as in WGAN-GP): gradients of gradients
 * flow through the layers because every rule is written with differentiable ops.
 */
class HigherOrderTest {
    @ParameterizedTest(name = "{0}") @MethodSource("io.github.knetj.layers.LayerTesting#backends")
    void gradientPenaltyThroughLayers(String backend) {
        on(backend, DType.FLOAT64, () -> {
            Chain model = new Chain(new Conv(3, 3, 1, 2, new Tanh()), new Pool(2, Pool.Mode.AVG), new LayerNorm(2),
                    new Dense(8, 3, new GELU()), new Linear(3, 1));
            Param x = input(2, 1, 6, 6);
            gradcheck("‖∂f/∂x‖² of " + model, () -> sum(square(diff(() -> sum(model.apply(x))).grad(x))), model, Map.of());
        });
    }
}
