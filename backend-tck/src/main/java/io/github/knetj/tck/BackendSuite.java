package io.github.knetj.tck;

import io.github.knetj.api.Backend;
import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.Conv2d;
import io.github.knetj.api.DType;
import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.UnaryOp;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Locale;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backend-agnostic op suite: forward and backward of every kernel of the SPI, in float32 and float64, on
 * property-generated shapes and values, compared with the reference backend, plus the errors every backend must raise.
 * A backend module re-runs all of it with one line:
 * <pre>{@code
 * class CpuSuiteTest extends BackendSuite { CpuSuiteTest() { super("cpu"); } }
 * class CpuScalarSuiteTest extends BackendSuite { CpuScalarSuiteTest() { super("cpu-scalar", () -> new CpuBackend(false)); } }
 * }</pre>
 * The tests live in the superclasses, one per concern: {@code ElementwiseTests} (unary, binary, affine, reductions,
 * argmax, sumTo), {@code LayoutTests} (layout ops, matmul, linear), {@code NNTests} (softmax, batch and layer norm, gathers and scatters,
 * memory, random draws), {@code ConvolutionTests} (conv2d and its backward passes, convTranspose2d, pooling) and
 * {@code RecurrentCellTests} (the LSTM and GRU cells and their backward passes).
 * Tries per property: {@code -Dknetj.tries}; replay a failure with the {@code -Dknetj.seed} its message prints.
 */
public abstract class BackendSuite extends MisuseTests {
    /** Tests the backend that {@link io.github.knetj.api.Backends} finds under this name (skipped with the reason if unavailable). */
    protected BackendSuite(String name) { super(name, null); }

    /** Tests a backend made by {@code supplier} (a variant such as a scalar fallback), reported under {@code name}. */
    protected BackendSuite(String name, Supplier<Backend> supplier) { super(name, supplier); }

    /** Mismatched shapes, dtypes and backends throw IllegalArgumentException naming the op; bad indices name it too. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void errorsNameTheOp(DType dtype) {
        DType other = dtype == DType.FLOAT32 ? DType.FLOAT64 : DType.FLOAT32;
        Tensor a = backend.memory().ones(Shape.of(2, 3), dtype), b = backend.memory().ones(Shape.of(4), dtype);
        Tensor c = backend.memory().ones(Shape.of(2, 3), other), foreign = ref.memory().ones(Shape.of(2, 3), dtype);
        Tensor square = backend.memory().ones(Shape.of(3, 3), dtype);
        Tensor image = backend.memory().ones(Shape.of(1, 2, 5, 5), dtype), kernel = backend.memory().ones(Shape.of(1, 3, 3, 3), dtype);
        rejects("add", () -> backend.fused().binary(BinaryOp.ADD, a, b));
        rejects("mul", () -> backend.fused().binary(BinaryOp.MUL, a, c));
        rejects("sub", () -> backend.fused().binary(BinaryOp.SUB, a, foreign));
        rejects("exp", () -> backend.fused().unary(UnaryOp.EXP, foreign));
        rejects("matmul", () -> backend.linalg().matmul(a, a));
        rejects("matmul", () -> backend.linalg().matmul(square, c));
        rejects("reshape", () -> backend.layout().reshape(a, Shape.of(5)));
        rejects("permute", () -> backend.layout().permute(a, 0, 0));
        rejects("broadcastTo", () -> backend.layout().broadcastTo(a, Shape.of(4, 3)));
        rejects("concat", () -> backend.layout().concat(0, a, square.to(dtype), backend.memory().ones(Shape.of(2, 2), dtype)));
        rejects("slice", () -> backend.layout().slice(a, 1, 2, 5));
        rejects("pad", () -> backend.fused().pad(a, new int[] {1}, new int[] {1}, 0));
        rejects("sum", () -> backend.reductions().sum(a, new int[] {2}, false));
        rejects("conv2d", () -> backend.convolution().conv2d(image, kernel, Conv2d.defaults()));
        rejects("conv2d", () -> backend.convolution().conv2d(image, foreign, Conv2d.defaults()));
        rejects("pool2d", () -> backend.convolution().maxPool2d(a, Pool2d.of(2)));
        rejects("pickClasses", () -> backend.fused().pickClasses(a, new int[] {0}));
        rejectsIndex("pickClasses", () -> backend.fused().pickClasses(a, new int[] {0, 3}));
        rejectsIndex("gatherRows", () -> backend.nn().gatherRows(a, new int[] {2}));
        rejectsIndex("scatterAddRows", () -> backend.nn().scatterAddRows(a, new int[] {0, 5}, 3));
    }

    private void rejects(String op, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, op + " on " + suiteName() + " accepted bad arguments");
        assertNames(op, e);
    }

    private void rejectsIndex(String op, Executable call) {
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, call, op + " on " + suiteName() + " accepted a bad index");
        assertNames(op, e);
    }

    private void assertNames(String op, RuntimeException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        assertTrue(m.contains(op.toLowerCase(Locale.ROOT)), op + " on " + suiteName() + ": the error message does not name the op: " + e.getMessage());
    }
}
