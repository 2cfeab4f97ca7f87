package io.github.knetj.tck.conformance;

import java.util.List;

/**
 * One optimizer case: a starting parameter, the gradients of successive steps, and the parameter PyTorch's optimizer
 * (kind and hyper-parameters in {@code attrs}) reaches after each step.
 *
 * @param name          unique name, e.g. {@code optimizer/adam}
 * @param attrs         {@code kind} ("sgd", "adam", ...) and the hyper-parameters
 * @param param         the parameter before the first step
 * @param grads         the gradient given at each step
 * @param afterEachStep the parameter after each step
 */
public record OptimizerCase(String name, Attrs attrs, NamedArray param, List<NamedArray> grads, List<NamedArray> afterEachStep) {
    @Override public String toString() { return name; }
}
