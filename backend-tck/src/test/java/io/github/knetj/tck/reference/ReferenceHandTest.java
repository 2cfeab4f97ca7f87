package io.github.knetj.tck.reference;

import io.github.knetj.api.Backend;
import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.Conv2d;
import io.github.knetj.api.DType;
import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.UnaryOp;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reference backend on cases small enough to compute by hand. */
class ReferenceHandTest {
    private final Backend ref = new ReferenceBackend();

    private Tensor t(Shape s, double... v) { return ref.memory().fromArray(v, s, DType.FLOAT64); }

    private static final double[] ONE_TO_NINE = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    @Test
    void conv2x2OnA3x3ImageAndBothBackwardPasses() {
        Tensor x = t(Shape.of(1, 1, 3, 3), ONE_TO_NINE), w = t(Shape.of(1, 1, 2, 2), 1, 2, 3, 4);
        Conv2d spec = Conv2d.defaults();
        // y[i,j] = x[i,j]·1 + x[i,j+1]·2 + x[i+1,j]·3 + x[i+1,j+1]·4
        Tensor y = ref.convolution().conv2d(x, w, spec);
        assertEquals(Shape.of(1, 1, 2, 2), y.shape());
        assertArrayEquals(new double[] {37, 47, 67, 77}, y.toDoubleArray());
        Tensor ones = ref.memory().ones(y.shape(), DType.FLOAT64);
        // Each input cell collects the kernel entries that touch it.
        assertArrayEquals(new double[] {1, 3, 2, 4, 10, 6, 3, 7, 4}, ref.convolution().conv2dBackwardInput(ones, w, x.shape(), spec).toDoubleArray());
        // Each kernel entry collects the 2×2 block of inputs it multiplies.
        assertArrayEquals(new double[] {12, 16, 24, 28}, ref.convolution().conv2dBackwardWeight(x, ones, w.shape(), spec).toDoubleArray());
    }

    @Test
    void poolingWithPaddingNeverCountsPaddedCellsInTheMax() {
        Tensor x = t(Shape.of(1, 1, 3, 3), ONE_TO_NINE);
        // Windows 2×2, stride 2, padding 1: rows/columns {−1, 0} and {1, 2}.
        assertArrayEquals(new double[] {1, 3, 7, 9}, ref.convolution().maxPool2d(x, Pool2d.of(2, 2, 1, true)).toDoubleArray());
        assertArrayEquals(new double[] {1 / 4.0, 5 / 4.0, 11 / 4.0, 28 / 4.0}, ref.fused().avgPool2d(x, Pool2d.of(2, 2, 1, true)).toDoubleArray());
        assertArrayEquals(new double[] {1, 2.5, 5.5, 7}, ref.fused().avgPool2d(x, Pool2d.of(2, 2, 1, false)).toDoubleArray());
        Tensor negative = ref.fused().unary(UnaryOp.NEG, x);
        assertArrayEquals(new double[] {-1, -2, -4, -5}, ref.convolution().maxPool2d(negative, Pool2d.of(2, 2, 1, true)).toDoubleArray(),
                "padding is −∞ for max pooling, not 0");
        Tensor dy = t(Shape.of(1, 1, 2, 2), 10, 20, 30, 40);
        assertArrayEquals(new double[] {10, 0, 20, 0, 0, 0, 30, 0, 40}, ref.convolution().maxPool2dBackward(dy, x, Pool2d.of(2, 2, 1, true)).toDoubleArray());
        assertArrayEquals(new double[] {10, 10, 10, 15, 10, 10, 15, 10, 10},
                ref.fused().avgPool2dBackward(dy, x.shape(), Pool2d.of(2, 2, 1, false)).toDoubleArray());
    }

    @Test
    void maxPoolBackwardRoutesTiesToTheFirstMaximum() {
        Tensor x = t(Shape.of(1, 1, 2, 2), 1, 1, 1, 1);
        assertArrayEquals(new double[] {5, 0, 0, 0}, ref.convolution().maxPool2dBackward(t(Shape.of(1, 1, 1, 1), 5), x, Pool2d.of(2)).toDoubleArray());
    }

    @Test
    void softmaxOfZeroAndLn2() {
        Tensor x = t(Shape.of(2), 0, Math.log(2));
        assertArrayEquals(new double[] {1 / 3.0, 2 / 3.0}, ref.fused().softmax(x, 0).toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {Math.log(1 / 3.0), Math.log(2 / 3.0)}, ref.fused().logSoftmax(x, -1).toDoubleArray(), 1e-15);
        assertEquals(Math.log(3), ref.fused().logsumexp(x, null, false).item(), 1e-15);
    }

    @Test
    void sigmoidFamilyIsFiniteAt800() {
        Tensor x = t(Shape.of(2), -800, 800);
        assertArrayEquals(new double[] {0, 1}, ref.fused().unary(UnaryOp.SIGMOID, x).toDoubleArray());
        assertArrayEquals(new double[] {0, 800}, ref.fused().unary(UnaryOp.SOFTPLUS, x).toDoubleArray());
        assertArrayEquals(new double[] {-800, -0.0}, ref.fused().unary(UnaryOp.LOGSIGMOID, x).toDoubleArray());
    }

    @Test
    void argmaxTakesTheFirstOfTiesPerRow() {
        Tensor x = t(Shape.of(2, 3), 1, 3, 3, 2, 2, 0);
        assertArrayEquals(new int[] {1, 0}, ref.fused().argmax(x, 1));
        assertArrayEquals(new int[] {1, 0, 0}, ref.fused().argmax(x, 0));
    }

    @Test
    void matmulWithTransposesAndSharedB() {
        Tensor a = t(Shape.of(2, 2), 1, 2, 3, 4), b = t(Shape.of(2, 2), 5, 6, 7, 8);
        assertArrayEquals(new double[] {19, 22, 43, 50}, ref.linalg().matmul(a, b).toDoubleArray());
        assertArrayEquals(new double[] {26, 30, 38, 44}, ref.linalg().matmul(a, b, true, false).toDoubleArray());
        assertArrayEquals(new double[] {17, 23, 39, 53}, ref.linalg().matmul(a, b, false, true).toDoubleArray());
        Tensor batch = ref.layout().concat(0, ref.layout().reshape(a, Shape.of(1, 2, 2)), ref.layout().reshape(b, Shape.of(1, 2, 2)));
        assertArrayEquals(new double[] {19, 22, 43, 50, 67, 78, 91, 106}, ref.linalg().matmul(batch, b).toDoubleArray());
    }

    @Test
    void float32ResultsAreRoundedOnceFromDouble() {
        Tensor x = ref.memory().fromArray(new double[] {0.1, 1e-8}, Shape.of(2), DType.FLOAT32);
        Tensor y = ref.fused().binary(BinaryOp.ADD, x, x);
        assertEquals(DType.FLOAT32, y.dtype());
        assertArrayEquals(new float[] {(float) (2.0 * (float) 0.1), (float) (2.0 * (float) 1e-8)}, y.toFloatArray());
    }

    @Test
    void reshapeSharesTheArrayAndTheProviderIsFound() {
        Tensor x = t(Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
        Tensor y = ref.layout().reshape(x, Shape.of(3, 2));
        assertSame(((io.github.knetj.api.HostTensor) x).doubles(), ((io.github.knetj.api.HostTensor) y).doubles());
        assertInstanceOf(ReferenceBackend.class, io.github.knetj.api.Backends.get("reference"));
        assertTrue(io.github.knetj.api.Backends.providers().stream().anyMatch(p -> p.name().equals("reference") && p.priority() == 10));
    }
}
