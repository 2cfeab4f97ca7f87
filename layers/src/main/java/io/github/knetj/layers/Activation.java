package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad.Value;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A nonlinearity y = f(x) used as a layer of its own or inside one ({@code Dense(784 => 100, relu)}): a {@link Layer}
 * with the short name it is printed by inside other layers.
 * <p>
 * The library's are {@link ReLU}, {@link Sigm}, {@link Tanh}, {@link ELU}, {@link SELU}, {@link GELU},
 * {@link LeakyReLU}, {@link Softmax} and {@link LogSoftmax}; any other function becomes one with
 * {@link #of(String, UnaryOperator)}.
 */
public interface Activation extends Layer {
    /** The function's name as printed inside other layers: "relu", "leakyrelu(0.2)". */
    String name();

    /** Any function as an activation: {@code Activation.of("swish", x -> mul(x, sigm(x)))}. */
    static Activation of(String name, UnaryOperator<Value> f) { return new Named(name, f); }

    /** A function with a name, made by {@link #of}. */
    record Named(String name, UnaryOperator<Value> f) implements Activation {
        public Named {
            Objects.requireNonNull(name, "Activation.of: name");
            Objects.requireNonNull(f, "Activation.of: function");
        }

        @Override public Value apply(Value x) { return f.apply(x); }

        @Override public String toString() { return name; }
    }
}
