package io.github.knetj.tck;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.tck.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The comparison every suite relies on: within tolerance passes, outside fails naming the worst element. */
class ToleranceTest {
    private final Backend ref = new ReferenceBackend();

    @Test
    void float64IsRelativeToTheLargestExpectedMagnitude() {
        Tensor actual = ref.memory().fromArray(new double[] {100, 1 + 5e-8}, Shape.of(2), DType.FLOAT64);
        Tolerance.assertClose("close", new double[] {100, 1}, actual, DType.FLOAT64, false);   // 5e-8 ≤ 1e-9·100
        AssertionError e = assertThrows(AssertionError.class,
                () -> Tolerance.assertClose("op x", new double[] {100, 1}, ref.memory().fromArray(new double[] {100, 1.001}, Shape.of(2), DType.FLOAT64), DType.FLOAT64, false));
        String m = e.getMessage();
        assertTrue(m.startsWith("op x: [2] float64 differs at index [1]"), m);
        assertTrue(m.contains("expected 1.0000") && m.contains("actual 1.00100"), m);
    }

    @Test
    void float32GradientsAreLooserThanForward() {
        Tensor actual = ref.memory().fromArray(new double[] {1.0005}, Shape.of(1), DType.FLOAT32);
        Tolerance.assertClose("gradient", new double[] {1}, actual, DType.FLOAT32, true);
        assertThrows(AssertionError.class, () -> Tolerance.assertClose("forward", new double[] {1}, actual, DType.FLOAT32, false));
    }

    @Test
    void nanMatchesOnlyNanAndShapesMustAgree() {
        Tensor nan = ref.memory().fromArray(new double[] {Double.NaN, Double.POSITIVE_INFINITY}, Shape.of(2), DType.FLOAT64);
        Tolerance.assertClose("nan", new double[] {Double.NaN, Double.POSITIVE_INFINITY}, nan, DType.FLOAT64, false);
        assertThrows(AssertionError.class, () -> Tolerance.assertClose("nan", new double[] {0, Double.POSITIVE_INFINITY}, nan, DType.FLOAT64, false));
        Tensor a = ref.memory().zeros(Shape.of(2, 1), DType.FLOAT64), b = ref.memory().zeros(Shape.of(1, 2), DType.FLOAT64);
        AssertionError e = assertThrows(AssertionError.class, () -> Tolerance.assertClose("shapes", a, b, false));
        assertTrue(e.getMessage().contains("expected shape [2, 1]"), e.getMessage());
    }
}
