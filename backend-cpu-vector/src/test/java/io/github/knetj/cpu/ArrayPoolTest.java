package io.github.knetj.cpu;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Conv2d;
import io.github.knetj.api.DType;
import io.github.knetj.api.HostTensor;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.TensorScope;
import io.github.knetj.api.UnaryOp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CPU backend's caching allocator ({@link ArrayPool}): tensors made inside a scope lend their arrays to the next
 * scope, results that accumulate into a reused array start from zero again, kept tensors and views keep their values,
 * and a released tensor fails loudly instead of showing another tensor's numbers.
 */
class ArrayPoolTest {
    private final Backend cpu = new CpuBackend(true);
    private final Backend ref = new CpuBackend(false);

    @ParameterizedTest
    @EnumSource(DType.class)
    void reusedArraysStartFromZeroAndKeptTensorsKeepTheirValues(DType dtype) {
        SplittableRandom r = new SplittableRandom(7);
        Shape sa = Shape.of(40, 60), sb = Shape.of(60, 50);
        double[] a = values(r, sa), b = values(r, sb);
        Tensor kept = null, keptView = null;
        double[] expected = ref.linalg().matmul(ref.memory().fromArray(a, sa, dtype), ref.memory().fromArray(b, sb, dtype), false, false).toDoubleArray();
        for (int step = 0; step < 3; step++) {
            try (TensorScope scope = TensorScope.open()) {
                Tensor x = cpu.memory().fromArray(a, sa, dtype), w = cpu.memory().fromArray(b, sb, dtype);
                // A product accumulates into its output: on a reused, dirty array it would be wrong unless zeroed first.
                Tensor y = cpu.linalg().matmul(x, w, false, false);
                Tensor noise = cpu.fused().unary(UnaryOp.EXP, y);   // fills another pooled array with other numbers
                assertTrue(((HostTensor) y).floats() != null || ((HostTensor) y).doubles() != null);
                assertArrayEquals(expected, y.toDoubleArray(), 1e-4, "step " + step + ": matmul on a pooled array " + dtype);
                if (step == 0) kept = scope.keep(y);
                if (step == 1) keptView = scope.keep(cpu.layout().reshape(y, Shape.of(2000)));   // the view holds the array; y itself is closed
                assertTrue(noise.size() == y.size());
            }
        }
        assertArrayEquals(expected, kept.toDoubleArray(), 1e-4, "kept from step 0, after two more steps");
        assertArrayEquals(expected, keptView.toDoubleArray(), 1e-4, "a kept view of a closed tensor, after one more step");
    }

    /** Convolutions write their outputs whole into uncleared pooled arrays: every element must still be theirs. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void convolutionsOverwriteDirtyPooledArrays(DType dtype) {
        SplittableRandom r = new SplittableRandom(11);
        Shape xs = Shape.of(3, 4, 9, 10), ws = Shape.of(5, 4, 3, 3);
        double[] x = values(r, xs), w = values(r, ws);
        for (int pad = 0; pad <= 1; pad++) {
            Conv2d spec = Conv2d.of(1, pad, 1);
            Shape ys = spec.outputShape(xs, ws);
            double[] dy = values(r, ys);
            Tensor rx = ref.memory().fromArray(x, xs, dtype), rw = ref.memory().fromArray(w, ws, dtype), rdy = ref.memory().fromArray(dy, ys, dtype);
            double[] y = ref.convolution().conv2d(rx, rw, spec).toDoubleArray();
            double[] dx = ref.convolution().conv2dBackwardInput(rdy, rw, xs, spec).toDoubleArray();
            for (int step = 0; step < 3; step++) {
                try (TensorScope scope = TensorScope.open()) {
                    // Leave arrays of the outputs' lengths full of other numbers in the pool.
                    cpu.fused().unary(UnaryOp.EXP, cpu.memory().fromArray(values(r, ys), ys, dtype));
                    cpu.fused().unary(UnaryOp.EXP, cpu.memory().fromArray(values(r, xs), xs, dtype));
                }
                try (TensorScope scope = TensorScope.open()) {
                    Tensor cx = cpu.memory().fromArray(x, xs, dtype), cw = cpu.memory().fromArray(w, ws, dtype), cdy = cpu.memory().fromArray(dy, ys, dtype);
                    assertArrayEquals(y, cpu.convolution().conv2d(cx, cw, spec).toDoubleArray(), 1e-4, "conv2d pad " + pad + " step " + step + " " + dtype);
                    assertArrayEquals(dx, cpu.convolution().conv2dBackwardInput(cdy, cw, xs, spec).toDoubleArray(), 1e-4,
                            "conv2dBackwardInput pad " + pad + " step " + step + " " + dtype);
                }
            }
        }
    }

    /**
     * 2×2 max pooling's gradient is written whole into an uncleared pooled array: each window's four cells, and the last
     * row and column that no window covers when a side is odd. Checked against the definition (the gradient at each
     * window's first maximum, zero elsewhere) on the SIMD and the scalar kernels, after a scope that left 777s behind.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void maxPoolGradientsOverwriteDirtyPooledArrays(DType dtype) {
        SplittableRandom r = new SplittableRandom(13);
        io.github.knetj.api.Pool2d spec = io.github.knetj.api.Pool2d.of(2);
        for (Shape xs : new Shape[]{Shape.of(2, 3, 17, 21), Shape.of(4, 4, 16, 16), Shape.of(3, 2, 24, 9)}) {
            Shape ys = spec.outputShape(xs);
            double[] x = values(r, xs), dy = values(r, ys);
            for (int i = 0; i < x.length; i += 7) x[i] = x[Math.max(0, i - 1)];   // ties, which the first cell wins
            double[] expected = new double[x.length];
            int h = xs.dim(2), w = xs.dim(3), oh = ys.dim(2), ow = ys.dim(3);
            for (int p = 0; p < xs.dim(0) * xs.dim(1); p++)
                for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) {
                    int best = p * h * w + 2 * i * w + 2 * j;
                    for (int a = 0; a < 2; a++) for (int b = 0; b < 2; b++) {
                        int at = p * h * w + (2 * i + a) * w + 2 * j + b;
                        if (x[at] > x[best]) best = at;
                    }
                    expected[best] += dy[(p * oh + i) * ow + j];
                }
            for (Backend be : new Backend[]{cpu, ref}) {
                try (TensorScope dirty = TensorScope.open()) {
                    be.fused().affine(be.memory().zeros(xs, dtype), 0, 777);
                }
                try (TensorScope scope = TensorScope.open()) {
                    Tensor dx = be.convolution().maxPool2dBackward(be.memory().fromArray(dy, ys, dtype), be.memory().fromArray(x, xs, dtype), spec);
                    assertArrayEquals(expected, dx.toDoubleArray(), 1e-6, "maxPool2dBackward " + xs + " " + dtype + " on " + be.device());
                }
            }
        }
    }

    /**
     * The ops that lend their outputs uncleared ({@link Host#uncleared}) must write every element: each runs after a scope
     * that left arrays of its outputs' lengths full of 777, and must give the numbers of the SIMD-off backend.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void opsWritingWholeOutputsIgnoreWhatThePoolLeft(DType dtype) {
        SplittableRandom r = new SplittableRandom(5);
        int b = 8, h = 160;   // every output at least 1,024 elements, so pooled
        Shape sq = Shape.of(b, h), wide = Shape.of(b, 4 * h), gru = Shape.of(b, 3 * h);
        double[] x = values(r, sq), y = values(r, sq), g4 = values(r, wide), g3 = values(r, gru), h3 = values(r, gru), row = values(r, Shape.of(h));
        Shape hidden = Shape.of(4 * h, h);   // a recurrent weight: x·Wᵀ and g·W, whose first block of steps stores every tile
        double[] whh = values(r, hidden);
        java.util.List<java.util.function.Function<Backend, Tensor[]>> ops = java.util.List.of(
                be -> new Tensor[]{be.fused().unary(UnaryOp.TANH, t(be, x, sq, dtype)), be.fused().unary(UnaryOp.RELU, t(be, x, sq, dtype)),
                        be.fused().unary(UnaryOp.GELU, t(be, x, sq, dtype)), be.fused().affine(t(be, x, sq, dtype), 2, -1)},
                be -> new Tensor[]{be.fused().binary(io.github.knetj.api.BinaryOp.MUL, t(be, x, sq, dtype), t(be, y, sq, dtype)),
                        be.fused().binary(io.github.knetj.api.BinaryOp.ADD, t(be, x, sq, dtype), t(be, row, Shape.of(h), dtype)),
                        be.fused().binary(io.github.knetj.api.BinaryOp.POW, t(be, x, sq, dtype), t(be, new double[]{2}, Shape.of(1), dtype))},
                be -> new Tensor[]{be.fused().sgdStep(t(be, x, sq, dtype), t(be, y, sq, dtype), 0.1)},
                be -> be.fused().adamStep(t(be, x, sq, dtype), t(be, y, sq, dtype), t(be, y, sq, dtype), t(be, x, sq, dtype).backend().elementwise()
                        .unary(UnaryOp.ABS, t(be, x, sq, dtype)), 0.9, 0.999, 1e-3, 1, 1e-8),
                be -> new Tensor[]{be.layout().concat(1, t(be, x, sq, dtype), t(be, y, sq, dtype)), be.layout().slice(t(be, g4, wide, dtype), 1, h, 3 * h),
                        be.layout().permute(t(be, g4, wide, dtype), 1, 0), be.layout().broadcastTo(t(be, row, Shape.of(h), dtype), sq)},
                be -> new Tensor[]{be.fused().softmax(t(be, x, sq, dtype), 1), be.fused().logSoftmax(t(be, x, sq, dtype), 0),
                        be.nn().gatherRows(t(be, g4, Shape.of(4 * b, h), dtype), new int[]{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3})},
                be -> new Tensor[]{be.fused().recurrentMatmul(t(be, x, sq, dtype), t(be, whh, hidden, dtype), true),
                        be.fused().recurrentMatmul(t(be, g4, wide, dtype), t(be, whh, hidden, dtype), false)},
                be -> be.fused().lstmCell(t(be, g4, wide, dtype), t(be, y, sq, dtype)),
                be -> be.fused().lstmCellBackward(t(be, x, sq, dtype), t(be, y, sq, dtype), t(be, concat5(g4, x), Shape.of(b, 5 * h), dtype), t(be, y, sq, dtype)),
                be -> be.fused().gruCell(t(be, g3, gru, dtype), t(be, h3, gru, dtype), t(be, y, sq, dtype)),
                be -> be.fused().gruCellBackward(t(be, x, sq, dtype), t(be, g3, gru, dtype), t(be, h3, gru, dtype), t(be, y, sq, dtype)));
        for (int k = 0; k < ops.size(); k++) {
            Tensor[] expected = ops.get(k).apply(ref);
            try (TensorScope dirty = TensorScope.open()) {   // arrays of every output's length, full of 777, back to the pool
                for (Tensor e : expected) cpu.fused().affine(cpu.memory().zeros(e.shape(), dtype), 0, 777);
            }
            try (TensorScope scope = TensorScope.open()) {
                Tensor[] got = ops.get(k).apply(cpu);
                for (int i = 0; i < got.length; i++)
                    assertArrayEquals(expected[i].toDoubleArray(), got[i].toDoubleArray(), dtype == DType.FLOAT32 ? 1e-5 : 1e-12,
                            "op group " + k + ", output " + i + " " + got[i].shape() + " " + dtype + " on arrays the pool had filled with 777");
            }
        }
    }

    private static Tensor t(Backend be, double[] v, Shape s, DType dtype) { return be.memory().fromArray(java.util.Arrays.copyOf(v, s.sizeInt()), s, dtype); }

    /** An LSTM step's activations (B, 5H): gates in (0, 1) and (−1, 1) from the (B, 4H) values, then tanh of the state. */
    private static double[] concat5(double[] g4, double[] x) {
        int b = x.length / 160, h = 160;
        double[] a = new double[b * 5 * h];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < 4 * h; j++) a[i * 5 * h + j] = 0.5 + 0.4 * g4[i * 4 * h + j];
            for (int j = 0; j < h; j++) a[i * 5 * h + 4 * h + j] = Math.tanh(x[i * h + j]);
        }
        return a;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void aReleasedTensorCannotBeRead(DType dtype) {
        Shape s = Shape.of(64, 64);
        double[] v = values(new SplittableRandom(3), s);
        Tensor y, view;
        try (TensorScope scope = TensorScope.open()) {
            y = cpu.fused().unary(UnaryOp.TANH, cpu.memory().fromArray(v, s, dtype));
            view = cpu.layout().reshape(y, Shape.of(4096));
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, y::toDoubleArray);
        assertTrue(e.getMessage().contains("closed") && e.getMessage().contains("scope.keep"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> cpu.fused().unary(UnaryOp.EXP, view));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void outsideScopesAndForSmallTensorsArraysAreTheGcs(DType dtype) {
        Tensor big = cpu.fused().unary(UnaryOp.ABS, cpu.memory().zeros(Shape.of(100, 100), dtype));
        big.close();   // not leased: close does nothing, the tensor stays readable
        assertArrayEquals(new double[10_000], big.toDoubleArray());
        Tensor small;
        try (TensorScope scope = TensorScope.open()) {
            small = cpu.fused().unary(UnaryOp.ABS, cpu.memory().zeros(Shape.of(4, 4), dtype));
        }
        assertArrayEquals(new double[16], small.toDoubleArray(), "tensors under ArrayPool's minimum are not pooled");
        assertSame(cpu, small.backend());
    }

    private static double[] values(SplittableRandom r, Shape s) {
        double[] v = new double[s.sizeInt()];
        for (int i = 0; i < v.length; i++) v[i] = r.nextDouble(-1, 1);
        return v;
    }
}
