package io.github.knetj.data;

import io.github.knetj.autograd.AutoGrad.Value;

/**
 * One minibatch: the inputs as a constant value of shape (n, xsize...) and the n integer labels.
 *
 * @param x      the inputs, on the default backend in the default dtype
 * @param labels the class of each example
 */
public record Batch(Value x, int[] labels) {
    /** The number of examples. */
    public int size() { return labels.length; }
}
