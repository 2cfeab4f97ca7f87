package io.github.knetj.tck.conformance;

import io.github.knetj.api.Backend;
import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.tck.BackendUnderTest;
import io.github.knetj.tck.Tolerance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The PyTorch conformance vectors run kernel by kernel on one backend, in float64 and float32: every case whose op is
 * a single kernel (or a kernel plus a bias add), forward and, where the gradient is itself a kernel, backward.
 * <p>
 * Covered ops ({@link #KERNEL_OPS}): forward of the unary ops, the binary ops, sum/mean/max, softmax, log_softmax,
 * logsumexp, matmul, linear, transpose, reshape, concat, slice, conv2d, conv_transpose2d, max/avg pooling, embedding and
 * nll_loss; gradients of conv2d and conv_transpose2d (input, weight, bias), the pools, matmul (transposed matmuls),
 * linear, add/sub (sumTo), transpose (the inverse permutation), reshape, concat (slices), slice (pad), embedding
 * (scatterAddRows) and nll_loss (placeClasses). The other cases (unary and reduction gradients, losses, normalisation,
 * recurrent cells, attention, optimizers) need autograd and are run by the autograd module.
 * <pre>{@code class CpuConformanceTest extends ConformanceKernelSuite { CpuConformanceTest() { super("cpu"); } }}</pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ConformanceKernelSuite {
    /** The op families this suite runs. */
    public static final Set<String> KERNEL_OPS = Set.of(
            "neg", "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "abs", "elu", "selu", "gelu", "leaky_relu", "softplus",
            "reciprocal", "square", "logsigmoid", "add", "sub", "mul", "div", "pow", "maximum", "minimum", "sum", "mean", "max",
            "softmax", "log_softmax", "logsumexp", "matmul", "linear", "transpose", "reshape", "concat", "slice", "conv2d",
            "conv_transpose2d", "max_pool2d", "avg_pool2d", "embedding", "nll_loss");

    private final String name;
    private final Supplier<Backend> supplier;
    private final Conformance vectors = Conformance.load();
    /** The backend under test. */
    protected Backend backend;

    /** Runs the vectors on the backend {@link io.github.knetj.api.Backends} finds under this name (skipped with the reason if unavailable). */
    protected ConformanceKernelSuite(String name) { this(name, null); }

    /** Runs the vectors on a backend made by {@code supplier}, reported under {@code name}. */
    protected ConformanceKernelSuite(String name, Supplier<Backend> supplier) {
        this.name = name;
        this.supplier = supplier;
    }

    @BeforeAll
    void startBackend() { backend = supplier == null ? BackendUnderTest.get(name) : supplier.get(); }

    Stream<Arguments> kernelCases() {
        return Arrays.stream(DType.values()).flatMap(d -> vectors.cases().stream().filter(ConformanceKernelSuite::isKernelCase).map(c -> Arguments.of(d, c)));
    }

    /** A case of a kernel op; GELU's tanh approximation is a composed op of autograd's, not a kernel. */
    static boolean isKernelCase(Case c) {
        return KERNEL_OPS.contains(c.op()) && !(c.op().equals("gelu") && !c.attrs().getString("approximate").equals("none"));
    }

    /** Every op family the suite claims is present in the file, so a renamed op cannot silently drop out. */
    @Test
    void everyKernelOpHasCases() {
        for (String op : KERNEL_OPS)
            assertFalse(vectors.cases().stream().noneMatch(c -> c.op().equals(op)), "no conformance case for kernel op " + op);
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("kernelCases")
    void conformance(DType dtype, Case c) {
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (NamedArray a : c.inputs()) if (!a.dtype().equals("int64")) in.put(a.name(), a.on(backend, dtype));
        Map<String, Tensor> up = new LinkedHashMap<>();
        for (NamedArray a : c.upstream()) up.put(a.name(), a.on(backend, dtype));
        KernelResult r = ConformanceKernels.run(backend, c, in, up);
        for (Map.Entry<String, Tensor> e : r.outputs().entrySet())
            Tolerance.assertClose(what(c, dtype, "output " + e.getKey()), c.output(e.getKey()).data(), e.getValue(), dtype, false);
        for (Map.Entry<String, Tensor> e : r.grads().entrySet())
            Tolerance.assertClose(what(c, dtype, "gradient of " + e.getKey()), c.grad(e.getKey()).data(), e.getValue(), dtype, true);
    }

    private String what(Case c, DType dtype, String part) {
        return "conformance " + c.name() + " (" + c.op() + " " + c.attrs() + ", inputs " + c.inputs() + ") " + part + " "
                + dtype.label() + " on " + name;
    }

    /** What a case computed on the backend: its outputs and the kernel-level gradients, by name. */
    record KernelResult(Map<String, Tensor> outputs, Map<String, Tensor> grads) {
        static KernelResult of(Tensor y) { return new KernelResult(Map.of("y", y), new LinkedHashMap<>()); }

        KernelResult grad(String input, Tensor g) {
            grads.put(input, g);
            return this;
        }
    }

    /** The bias of conv2d and conv_transpose2d, broadcast over (N, C, H, W). */
    static Tensor addChannelBias(Backend b, Tensor y, Tensor bias) {
        return b.fused().binary(BinaryOp.ADD, y, b.layout().reshape(bias, Shape.of(1, bias.shape().dim(0), 1, 1)));
    }
}
