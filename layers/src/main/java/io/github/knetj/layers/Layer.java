package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;

import java.util.List;

/**
 * A layer: a small object holding parameters, called on a value (KnetLayers' callable structs). A user's own layer
 * is written the same way:
 * <pre>{@code
 * record MyDense(Param w, Param b) implements Layer {
 *     public Value apply(Value x) { return relu(add(matmul(mat(x), w, false, true), b)); }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface Layer {
    /** y = layer(x). */
    Value apply(Value x);

    /** The parameters of this layer and of the layers it holds, found by {@link Params#of}. */
    default List<Param> params() { return Params.of(this); }
}
