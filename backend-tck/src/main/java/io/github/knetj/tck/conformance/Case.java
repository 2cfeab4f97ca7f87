package io.github.knetj.tck.conformance;

import java.util.List;

/**
 * One conformance case: an op family with its parameters, its inputs, the outputs PyTorch computed, a random upstream
 * gradient for each differentiable output, and the gradient of sum(upstream · output) for every float input.
 *
 * @param name     unique name, e.g. {@code conv2d/k3-stride2-pad1}
 * @param op       the op family ({@code conv2d}, {@code add}, {@code lstm}, ...)
 * @param attrs    the op's parameters
 * @param inputs   the inputs, in order
 * @param outputs  the outputs, in order
 * @param upstream the upstream gradient of each differentiable output (same names)
 * @param grads    the gradient of each float input (same names)
 */
public record Case(String name, String op, Attrs attrs, List<NamedArray> inputs, List<NamedArray> outputs,
                   List<NamedArray> upstream, List<NamedArray> grads) {
    public NamedArray input(String n) { return find(inputs, n, "input"); }

    public NamedArray output(String n) { return find(outputs, n, "output"); }

    public NamedArray upstream(String n) { return find(upstream, n, "upstream"); }

    public NamedArray grad(String n) { return find(grads, n, "grad"); }

    private NamedArray find(List<NamedArray> list, String n, String kind) {
        for (NamedArray a : list) if (a.name().equals(n)) return a;
        throw new IllegalArgumentException("conformance case '" + name + "' has no " + kind + " named '" + n + "' (has " + list + ")");
    }

    @Override public String toString() { return name; }
}
