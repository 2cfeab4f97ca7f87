package io.github.knetj.train;

import io.github.knetj.autograd.AutoGrad.Value;

/**
 * A training objective over any model and any batch type: the scalar loss of {@code model} on {@code batch}, as a
 * Knet user writes {@code loss(model, x, y)}. Regression: {@code (m, b) -> mse(m.apply(b.x()), b.targets())}.
 *
 * @param <M> the model's type
 * @param <B> the batch's type
 */
@FunctionalInterface
public interface Objective<M, B> {
    Value apply(M model, B batch);
}
