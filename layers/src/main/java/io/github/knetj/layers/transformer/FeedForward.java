package io.github.knetj.layers.transformer;

import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Ops;
import io.github.knetj.layers.Activation;
import io.github.knetj.layers.Dropout;
import io.github.knetj.layers.Layer;
import io.github.knetj.layers.Linear;

/** y = linear2(dropout(act(linear1(x)))) on the last axis of x (..., E): the position-wise feed-forward of a transformer block. */
final class FeedForward {
    private FeedForward() {}

    static Value apply(Linear linear1, Layer activation, Dropout dropout, Linear linear2, Value x) {
        Value hidden = activation.apply(Ops.linear(x, linear1.w(), linear1.b()));
        return Ops.linear(dropout.apply(hidden), linear2.w(), linear2.b());
    }

    /** "gelu", "relu", or the activation's own text. */
    static String name(Layer activation) { return activation instanceof Activation a ? a.name() : activation.toString(); }
}
