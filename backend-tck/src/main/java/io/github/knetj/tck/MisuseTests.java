package io.github.knetj.tck;

import io.github.knetj.api.Backend;
import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.Conv2d;
import io.github.knetj.api.DType;
import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.UnaryOp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * API misuse, family by family (elementwise, reductions, layout, linear algebra, convolution and pooling, NN gathers,
 * memory): wrong shapes and ranks, mixed dtypes and backends, empty and degenerate shapes, out-of-range labels and
 * axes. Every backend must reject each case the way the reference backend does: the same exception class, and a
 * message holding the same fact (the op and the shapes or values at fault). Before these checks lived in the shared
 * {@code Checks}, {@code Conv2d} and {@code Pool2d} code, a kernel larger than its input threw an index error on one
 * backend and silently gave a 1×1 output on the others.
 */
abstract class MisuseTests extends RecurrentCellTests {
    MisuseTests(String name, java.util.function.Supplier<Backend> supplier) { super(name, supplier); }

    /**
     * call must fail on the backend under test as on the reference: same exception class, and both messages contain
     * every fragment. call receives the backend to run on.
     */
    private void rejectsLikeReference(String what, Function<Backend, Object> call, String... fragments) {
        RuntimeException expected = failure(ref, what, call), actual = failure(backend, what, call);
        assertEquals(expected.getClass(), actual.getClass(), what + " on " + suiteName() + ": " + actual + "; the reference threw " + expected);
        for (String f : fragments) {
            assertTrue(expected.getMessage().contains(f), what + " on reference: '" + expected.getMessage() + "' lacks '" + f + "'");
            assertTrue(actual.getMessage().contains(f), what + " on " + suiteName() + ": '" + actual.getMessage() + "' lacks '" + f + "'");
        }
    }

    private static RuntimeException failure(Backend b, String what, Function<Backend, Object> call) {
        try {
            Object result = call.apply(b);
            fail(what + " on " + b.name() + " was accepted and gave " + (result instanceof Tensor t ? t.shape() + " " + t.dtype() : result));
        } catch (RuntimeException e) {
            assertNotNull(e.getMessage(), what + " on " + b.name() + ": " + e + " has no message");
            return e;
        }
        return null;
    }

    private static Tensor ones(Backend b, DType d, int... dims) { return b.memory().ones(Shape.of(dims), d); }

    @ParameterizedTest
    @EnumSource(DType.class)
    void elementwiseMisuse(DType d) {
        rejectsLikeReference("add of (2,3) and (4)", b -> b.fused().binary(BinaryOp.ADD, ones(b, d, 2, 3), ones(b, d, 4)), "add", "[2, 3]", "[4]");
        rejectsLikeReference("mul of (2,3) and (3,2)", b -> b.fused().binary(BinaryOp.MUL, ones(b, d, 2, 3), ones(b, d, 3, 2)), "mul", "do not broadcast");
        DType other = d == DType.FLOAT32 ? DType.FLOAT64 : DType.FLOAT32;
        rejectsLikeReference("sub of mixed dtypes", b -> b.fused().binary(BinaryOp.SUB, ones(b, d, 2), ones(b, other, 2)), "sub", "mixed dtypes");
        rejectsLikeReference("exp of an empty (0,3) and a (2,3)", b -> b.fused().binary(BinaryOp.ADD, ones(b, d, 0, 3), ones(b, d, 2, 3)), "add", "[0, 3]");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void mixedBackendsAreRefused(DType d) {
        if (backend.name().equals(ref.name())) return;   // the reference cannot be mixed with itself; every other backend is
        Tensor foreign = ones(ref, d, 2, 3);
        RuntimeException e = failure(backend, "add of a foreign tensor", b -> b.fused().binary(BinaryOp.ADD, ones(b, d, 2, 3), foreign));
        assertTrue(e instanceof IllegalArgumentException && e.getMessage().contains("is on backend 'reference'"), e.toString());
        e = failure(backend, "tanh of a foreign tensor", b -> b.fused().unary(UnaryOp.TANH, foreign));
        assertTrue(e instanceof IllegalArgumentException && e.getMessage().contains("is on backend 'reference'"), e.toString());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reductionMisuse(DType d) {
        rejectsLikeReference("sum over axis 2 of a matrix", b -> b.reductions().sum(ones(b, d, 2, 3), new int[]{2}, false), "sum", "axis 2", "[2, 3]");
        rejectsLikeReference("max over axis -3 of a matrix", b -> b.reductions().max(ones(b, d, 2, 3), new int[]{-3}, false), "max", "axis -3");
        rejectsLikeReference("mean over axis 0 twice", b -> b.fused().mean(ones(b, d, 2, 3), new int[]{0, 0}, false), "axis 0", "repeated");   // composed on primitives it is sum's error
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void layoutMisuse(DType d) {
        rejectsLikeReference("reshape (2,3) to (4,2)", b -> b.layout().reshape(ones(b, d, 2, 3), Shape.of(4, 2)), "reshape", "6 elements", "8 elements");
        rejectsLikeReference("permute with a repeated axis", b -> b.layout().permute(ones(b, d, 2, 3), 1, 1), "permute", "[1, 1]");
        rejectsLikeReference("permute of the wrong length", b -> b.layout().permute(ones(b, d, 2, 3), 0), "permute", "[0]");
        rejectsLikeReference("slice past the end", b -> b.layout().slice(ones(b, d, 2, 3), 1, 1, 7), "slice", "[1, 7)");
        rejectsLikeReference("slice backwards", b -> b.layout().slice(ones(b, d, 2, 3), 0, 2, 1), "slice", "[2, 1)");
        rejectsLikeReference("concat of ranks 2 and 1", b -> b.layout().concat(0, ones(b, d, 2, 3), ones(b, d, 3)), "concat", "ranks differ");
        rejectsLikeReference("pad with a negative count", b -> b.fused().pad(ones(b, d, 2, 3), new int[]{0, -1}, new int[]{0, 0}, 0), "pad", "negative");
        rejectsLikeReference("broadcastTo a smaller shape", b -> b.layout().broadcastTo(ones(b, d, 2, 3), Shape.of(3)), "broadcastTo");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void linalgMisuse(DType d) {
        rejectsLikeReference("matmul (2,3)·(2,3)", b -> b.linalg().matmul(ones(b, d, 2, 3), ones(b, d, 2, 3)), "matmul", "inner dimensions", "3 vs 2");
        rejectsLikeReference("matmul of vectors", b -> b.linalg().matmul(ones(b, d, 3), ones(b, d, 3)), "matmul", "[3]");
        rejectsLikeReference("matmul of batches 2 and 3", b -> b.linalg().matmul(ones(b, d, 2, 3, 4), ones(b, d, 3, 4, 5)), "matmul", "batch sizes differ");
        rejectsLikeReference("linear with a wrong bias", b -> b.fused().linear(ones(b, d, 2, 3), ones(b, d, 4, 3), ones(b, d, 3)), "linear", "b [3]");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void convolutionMisuse(DType d) {
        // The case: a 5×5 kernel on a 3×3 input with stride 3 once gave 1×1 or an index out of bounds.
        rejectsLikeReference("conv2d of a 5x5 kernel on a 3x3 input, stride 3",
                b -> b.convolution().conv2d(ones(b, d, 1, 1, 3, 3), ones(b, d, 1, 1, 5, 5), Conv2d.of(3, 0, 1)), "conv2d", "does not fit", "[1, 1, 3, 3]");
        rejectsLikeReference("conv2d with a bias of the wrong shape",
                b -> b.fused().conv2d(ones(b, d, 1, 2, 6, 6), ones(b, d, 4, 2, 3, 3), ones(b, d, 4), Conv2d.defaults()), "conv2d", "[1, 4, 1, 1]", "[4]");
        rejectsLikeReference("conv2d of a dilated kernel too wide", b -> b.convolution().conv2d(ones(b, d, 1, 1, 5, 5), ones(b, d, 1, 1, 3, 3), Conv2d.of(1, 0, 3)),
                "conv2d", "does not fit");
        rejectsLikeReference("conv2d with 2 and 3 channels", b -> b.convolution().conv2d(ones(b, d, 1, 2, 5, 5), ones(b, d, 1, 3, 3, 3), Conv2d.defaults()),
                "conv2d", "equal C");
        rejectsLikeReference("conv2d of a rank-3 input", b -> b.convolution().conv2d(ones(b, d, 2, 5, 5), ones(b, d, 1, 2, 3, 3), Conv2d.defaults()), "conv2d", "[2, 5, 5]");
        rejectsLikeReference("conv2d of an empty kernel", b -> b.convolution().conv2d(ones(b, d, 1, 1, 5, 5), ones(b, d, 1, 1, 0, 3), Conv2d.defaults()),
                "conv2d", "empty spatial size");
        rejectsLikeReference("conv_transpose2d to a negative size",
                b -> b.fused().convTranspose2d(ones(b, d, 1, 1, 2, 2), ones(b, d, 1, 1, 3, 3), Conv2d.of(1, 4, 1), 0, 0), "conv_transpose2d", "give an output of");
        rejectsLikeReference("conv_transpose2d with output padding >= stride",
                b -> b.fused().convTranspose2d(ones(b, d, 1, 1, 2, 2), ones(b, d, 1, 1, 3, 3), Conv2d.of(2, 0, 1), 2, 2), "conv_transpose2d", "output padding");
        rejectsLikeReference("max pool of a 5x5 window on 3x3", b -> b.convolution().maxPool2d(ones(b, d, 1, 1, 3, 3), Pool2d.of(5)), "pool2d", "does not fit");
        rejectsLikeReference("avg pool of a 4x4 window on 3x3", b -> b.fused().avgPool2d(ones(b, d, 1, 1, 3, 3), Pool2d.of(4, 1, 0, false)), "pool2d", "does not fit");
        rejectsLikeReference("max pool of a rank-2 input", b -> b.convolution().maxPool2d(ones(b, d, 3, 3), Pool2d.of(2)), "pool2d", "[3, 3]");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void nnMisuse(DType d) {
        rejectsLikeReference("pickClasses with label 3 of 3 classes", b -> b.fused().pickClasses(ones(b, d, 2, 3), new int[]{0, 3}), "pickClasses", "index 3");
        rejectsLikeReference("pickClasses with a negative label", b -> b.fused().pickClasses(ones(b, d, 2, 3), new int[]{-1, 0}), "pickClasses", "index -1");
        rejectsLikeReference("pickClasses on a vector", b -> b.fused().pickClasses(ones(b, d, 3), new int[]{0}), "pickClasses", "[3]");
        rejectsLikeReference("gatherRows past the table", b -> b.nn().gatherRows(ones(b, d, 2, 3), new int[]{0, 2}), "gatherRows", "index 2");
        rejectsLikeReference("softmax over axis 2 of a matrix", b -> b.fused().softmax(ones(b, d, 2, 3), 2), "axis 2", "[2, 3]");
        rejectsLikeReference("logSoftmax over axis -3 of a matrix", b -> b.fused().logSoftmax(ones(b, d, 2, 3), -3), "axis -3", "[2, 3]");
        rejectsLikeReference("scatterAddRows past the rows", b -> b.nn().scatterAddRows(ones(b, d, 2, 3), new int[]{0, 9}, 3), "scatterAddRows", "index 9");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void memoryMisuse(DType d) {
        rejectsLikeReference("fromArray of 5 values into (2,3)", b -> b.memory().fromArray(new double[5], Shape.of(2, 3), d), "[2, 3]");
        rejectsLikeReference("fromArray of 7 floats into (2,3)", b -> b.memory().fromArray(new float[7], Shape.of(2, 3)), "[2, 3]");
        rejectsLikeReference("zeros of 2^36 elements", b -> b.memory().zeros(Shape.of(1 << 18, 1 << 18), d), "[262144, 262144]");
    }
}
