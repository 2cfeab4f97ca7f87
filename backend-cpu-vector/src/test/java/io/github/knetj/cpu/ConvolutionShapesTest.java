package io.github.knetj.cpu;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Conv2d;
import io.github.knetj.api.DType;
import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.cpu.fast.Winograd;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * conv2d and both backward passes against the direct seven-loop definition in double, over strides, paddings,
 * dilations, non-square kernels, the two LeNet layers (small batch), batches smaller and larger than the pool and the
 * shapes that take {@link Winograd}'s path (edge tiles, paddings 0–2, several blocks);
 * and the pooling rules (first max of a window, divisors with and without padding).
 */
class ConvolutionShapesTest {
    /** {x shape, w shape, strideH, strideW, padH, padW, dilationH, dilationW}. */
    private static final int[][] CASES = {
            {2, 1, 28, 28, 20, 1, 5, 5, 1, 1, 0, 0, 1, 1},     // LeNet conv1
            {3, 20, 12, 12, 50, 20, 5, 5, 1, 1, 0, 0, 1, 1},   // LeNet conv2
            {17, 20, 12, 12, 50, 20, 5, 5, 1, 1, 0, 0, 1, 1},  // 17 images: groups of 2-3 in one weight-gradient product, sliding windows
            {10, 3, 8, 20, 40, 3, 5, 5, 1, 1, 0, 0, 1, 1},     // output rows of 16: two windows a row
            {9, 2, 9, 13, 36, 2, 3, 5, 1, 1, 0, 0, 1, 1},      // output rows of 9: windows cut by row ends; the image's last floats
            {1, 3, 9, 11, 4, 3, 3, 2, 2, 1, 1, 0, 1, 1},       // one image: parallel inside it; non-square kernel
            {5, 2, 10, 9, 3, 2, 3, 3, 2, 3, 2, 1, 2, 1},       // dilation, uneven stride and padding
            {2, 4, 7, 7, 2, 4, 1, 1, 1, 1, 0, 0, 1, 1},        // 1×1 kernel
            {1, 1, 4, 4, 1, 1, 4, 4, 3, 3, 3, 3, 1, 1},        // windows mostly in the padding
            {1, 1, 1, 1, 3, 1, 1, 3, 1, 1, 0, 2, 1, 2},        // kernel columns that only ever see padding
            {2, 3, 16, 16, 5, 3, 3, 3, 1, 1, 1, 1, 1, 1},      // padded, odd output channels, whole vectors per output row
            {2, 2, 10, 16, 3, 2, 3, 3, 2, 1, 2, 2, 2, 2},      // the same with dilation and a row stride
            {2, 1, 12, 28, 7, 1, 3, 5, 1, 1, 1, 0, 1, 1},      // few taps, 7 channels (not a multiple of 4), 3 vectors a row
            {3, 2, 10, 12, 6, 2, 3, 5, 1, 1, 0, 0, 1, 1},      // output planes of 64 cells, few channels: the direct weight gradient
            {3, 2, 12, 16, 5, 2, 3, 3, 1, 1, 0, 0, 2, 2},      // the same with dilation, three kernel columns, five output channels
            {2, 1, 14, 14, 3, 1, 3, 7, 1, 1, 0, 0, 1, 1},      // seven kernel columns: two blocks of columns, the second of two
            {11, 2, 6, 10, 4, 2, 3, 3, 1, 1, 0, 0, 1, 1},      // 11 images: the weight gradient's eight groups of one or two
            {2, 3, 9, 32, 37, 3, 3, 3, 1, 1, 1, 1, 1, 1},      // output rows of 32: the weight gradient reads the image in place (ImageRows)
            // Winograd F(2×2, 3×3) (float32, SIMD, ≥ 16 channels each way):
            {2, 16, 8, 8, 16, 16, 3, 3, 1, 1, 1, 1, 1, 1},     // rows of 4 tiles: each row's one vector runs past its end
            {3, 16, 13, 21, 17, 16, 3, 3, 1, 1, 1, 1, 1, 1},   // odd output height and width: half-used edge tiles; 17 outputs
            {2, 20, 18, 35, 16, 20, 3, 3, 1, 1, 0, 0, 1, 1},   // no padding, so backward-input pads dy by 2
            {1, 16, 10, 10, 16, 16, 3, 3, 1, 1, 2, 2, 1, 1},   // padding 2 (backward-input pads by 0); one image: threads inside it
            {2, 16, 9, 12, 18, 16, 3, 3, 1, 1, 1, 0, 1, 1},    // padding on rows only
            {2, 16, 28, 28, 16, 16, 3, 3, 1, 1, 1, 1, 1, 1},   // ResNet-20's first stage: the weight gradient's products as dot products
            {2, 16, 30, 30, 18, 16, 3, 3, 1, 1, 1, 1, 1, 1},   // the same with 18 outputs: edge tiles of dot products
            {1, 128, 24, 40, 128, 128, 3, 3, 1, 1, 1, 1, 1, 1}, // more tiles than one block holds: two blocks of tile rows
            {9, 64, 32, 32, 64, 64, 3, 3, 1, 1, 1, 1, 1, 1}};  // the benchmark's 3×3 layer (batch 9: images over the pool)

    private static double[] direct(double[] x, int[] xs, double[] w, int[] ws, Conv2d s, Shape ys) {
        double[] y = new double[ys.sizeInt()];
        int oh = ys.dim(2), ow = ys.dim(3);
        for (int n = 0; n < xs[0]; n++) for (int o = 0; o < ws[0]; o++) for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) {
            double acc = 0;
            for (int c = 0; c < xs[1]; c++) for (int ki = 0; ki < ws[2]; ki++) for (int kj = 0; kj < ws[3]; kj++) {
                int r = i * s.strideH() - s.padH() + ki * s.dilationH(), q = j * s.strideW() - s.padW() + kj * s.dilationW();
                if (r < 0 || r >= xs[2] || q < 0 || q >= xs[3]) continue;
                acc += x[((n * xs[1] + c) * xs[2] + r) * xs[3] + q] * w[((o * ws[1] + c) * ws[2] + ki) * ws[3] + kj];
            }
            y[((n * ws[0] + o) * oh + i) * ow + j] = acc;
        }
        return y;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** dx[n, c, r, q] = Σ dy[n, o, oh, ow]·w[o, c, i, j] over the cells where r = oh·sh − ph + i·dh, q = ow·sw − pw + j·dw, in double. */
    private static double[] directInput(double[] dy, int[] xs, double[] w, int[] ws, Conv2d s, Shape ys) {
        int n = xs[0], c = xs[1], h = xs[2], wd = xs[3], o = ws[0], kh = ws[2], kw = ws[3], ho = ys.dim(2), wo = ys.dim(3);
        double[] dx = new double[n * c * h * wd];
        for (int b = 0; b < n; b++) for (int oc = 0; oc < o; oc++) for (int oh = 0; oh < ho; oh++) for (int ow = 0; ow < wo; ow++) {
            double g = dy[((b * o + oc) * ho + oh) * wo + ow];
            for (int ic = 0; ic < c; ic++) for (int i = 0; i < kh; i++) for (int j = 0; j < kw; j++) {
                int r = oh * s.strideH() - s.padH() + i * s.dilationH(), q = ow * s.strideW() - s.padW() + j * s.dilationW();
                if (r < 0 || r >= h || q < 0 || q >= wd) continue;
                dx[((b * c + ic) * h + r) * wd + q] += g * w[((oc * c + ic) * kh + i) * kw + j];
            }
        }
        return dx;
    }

    /** dW[o, c, i, j] = Σ dy[n, o, oh, ow]·x[n, c, oh·sh − ph + i·dh, ow·sw − pw + j·dw], in double. */
    private static double[] directWeight(double[] x, int[] xs, double[] dy, int[] ws, Conv2d s, Shape ys) {
        int n = xs[0], c = xs[1], h = xs[2], w = xs[3], o = ws[0], kh = ws[2], kw = ws[3], ho = ys.dim(2), wo = ys.dim(3);
        double[] dw = new double[o * c * kh * kw];
        for (int b = 0; b < n; b++) for (int oc = 0; oc < o; oc++) for (int ic = 0; ic < c; ic++) for (int i = 0; i < kh; i++) for (int j = 0; j < kw; j++)
            for (int oh = 0; oh < ho; oh++) for (int ow = 0; ow < wo; ow++) {
                int r = oh * s.strideH() - s.padH() + i * s.dilationH(), q = ow * s.strideW() - s.padW() + j * s.dilationW();
                if (r < 0 || r >= h || q < 0 || q >= w) continue;
                dw[((oc * c + ic) * kh + i) * kw + j] += dy[((b * o + oc) * ho + oh) * wo + ow] * x[((b * c + ic) * h + r) * w + q];
            }
        return dw;
    }

    @Test void forwardAndBothBackwardPassesMatchTheDefinition() {
        SplittableRandom r = new SplittableRandom(3);
        for (Backend be : new Backend[] {new CpuBackend(true), new CpuBackend(false)}) for (DType d : DType.values()) for (int[] c : CASES) {
            Shape xs = Shape.of(c[0], c[1], c[2], c[3]), ws = Shape.of(c[4], c[5], c[6], c[7]);
            Conv2d spec = new Conv2d(c[8], c[9], c[10], c[11], c[12], c[13]);
            Tensor x = MatmulTest.random(be, r, xs, d), w = MatmulTest.random(be, r, ws, d);
            Tensor y = be.convolution().conv2d(x, w, spec);
            assertEquals(spec.outputShape(xs, ws), y.shape());
            double[] expected = direct(x.toDoubleArray(), xs.dims(), w.toDoubleArray(), ws.dims(), spec, y.shape());
            double tol = d == DType.FLOAT32 ? 1e-4 : 1e-12;
            double[] got = y.toDoubleArray();
            for (int i = 0; i < got.length; i++) assertEquals(expected[i], got[i], tol * Math.max(1, Math.abs(expected[i])), "conv2d " + d + " case " + xs + ws + spec);
            // The backward passes are the adjoints: <dy, conv(x, w)> = <conv_bwd_input(dy), x> = <conv_bwd_weight(dy), w>.
            Tensor dy = MatmulTest.random(be, r, y.shape(), d);
            double lhs = dot(dy.toDoubleArray(), got);
            double[] dx = be.convolution().conv2dBackwardInput(dy, w, xs, spec).toDoubleArray();
            double viaInput = dot(dx, x.toDoubleArray());
            double[] dxExpected = directInput(dy.toDoubleArray(), xs.dims(), w.toDoubleArray(), ws.dims(), spec, y.shape());
            for (int i = 0; i < dx.length; i++)
                assertEquals(dxExpected[i], dx[i], tol * Math.max(1, Math.abs(dxExpected[i])) * 10, "conv2dBackwardInput[" + i + "] " + d + " " + xs + ws + spec);
            double viaWeight = dot(be.convolution().conv2dBackwardWeight(x, dy, ws, spec).toDoubleArray(), w.toDoubleArray());
            double scale = tol * Math.max(1, Math.abs(lhs)) * 10;
            assertEquals(lhs, viaInput, scale, "conv2dBackwardInput " + d + " " + xs + ws + spec);
            assertEquals(lhs, viaWeight, scale, "conv2dBackwardWeight " + d + " " + xs + ws + spec);
            double[] dw = be.convolution().conv2dBackwardWeight(x, dy, ws, spec).toDoubleArray();
            double[] dwExpected = directWeight(x.toDoubleArray(), xs.dims(), dy.toDoubleArray(), ws.dims(), spec, y.shape());
            for (int i = 0; i < dw.length; i++)
                assertEquals(dwExpected[i], dw[i], tol * Math.max(1, Math.abs(dwExpected[i])) * 10, "conv2dBackwardWeight[" + i + "] " + d + " " + xs + ws + spec);
        }
    }

    /**
     * conv2d with a bias and 2×2 max pooling in one call ({@code Fused.conv2dMaxPool}, each image pooled right after its
     * product) returns what the two calls return, to the bit: LeNet's layers, odd output sizes, a 3×3 layer that takes
     * Winograd's path and float64 (both composed instead), with SIMD on and off.
     */
    @Test void convolutionWithPoolingIsTheTwoCallsToTheBit() {
        SplittableRandom r = new SplittableRandom(5);
        int[][] cases = {{4, 1, 28, 28, 20, 5}, {3, 20, 12, 12, 50, 5}, {2, 3, 13, 11, 7, 3}, {2, 16, 10, 10, 16, 3}};
        for (CpuBackend be : new CpuBackend[] {new CpuBackend(true), new CpuBackend(false)}) for (DType d : DType.values()) for (int[] c : cases) {
            Tensor x = MatmulTest.random(be, r, Shape.of(c[0], c[1], c[2], c[3]), d), w = MatmulTest.random(be, r, Shape.of(c[4], c[1], c[5], c[5]), d);
            Tensor b = MatmulTest.random(be, r, Shape.of(1, c[4], 1, 1), d);
            Tensor y = be.fused().conv2d(x, w, b, Conv2d.defaults());
            Tensor[] both = be.fused().conv2dMaxPool(x, w, b, Conv2d.defaults(), Pool2d.of(2));
            String what = "conv2dMaxPool " + d + " x " + x.shape() + " w " + w.shape() + " simd " + be.simd();
            assertArrayEquals(y.toDoubleArray(), both[0].toDoubleArray(), what + " y");
            assertArrayEquals(be.convolution().maxPool2d(y, Pool2d.of(2)).toDoubleArray(), both[1].toDoubleArray(), what + " pooled");
        }
    }

    @Test void maxPoolingRoutesToTheFirstMaxAndSkipsPadding() {
        for (Backend be : new Backend[] {new CpuBackend(true), new CpuBackend(false)}) {
            Tensor x = be.memory().fromArray(new double[] {-1, -1, -1, -1}, Shape.of(1, 1, 2, 2), DType.FLOAT64);
            Pool2d p = Pool2d.of(2, 2, 1, false);
            // Every window holds only −1 among real cells: padding (never counted) must not win with 0.
            assertArrayEquals(new double[] {-1, -1, -1, -1}, be.convolution().maxPool2d(x, p).toDoubleArray());
            Tensor dy = be.memory().fromArray(new double[] {1, 2, 3, 4}, Shape.of(1, 1, 2, 2), DType.FLOAT64);
            assertArrayEquals(new double[] {1, 2, 3, 4}, be.convolution().maxPool2dBackward(dy, x, p).toDoubleArray());
            Tensor ties = be.memory().ones(Shape.of(1, 1, 2, 2), DType.FLOAT32);
            Tensor g = be.memory().ones(Shape.of(1, 1, 1, 1), DType.FLOAT32);
            assertArrayEquals(new double[] {1, 0, 0, 0}, be.convolution().maxPool2dBackward(g, ties, Pool2d.of(2)).toDoubleArray());
        }
    }

    @Test void averageDivisorFollowsCountIncludePad() {
        for (Backend be : new Backend[] {new CpuBackend(true), new CpuBackend(false)}) {
            Tensor x = be.memory().ones(Shape.of(1, 1, 2, 2), DType.FLOAT64);
            assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, be.fused().avgPool2d(x, Pool2d.of(2, 2, 1, true)).toDoubleArray());
            assertArrayEquals(new double[] {1, 1, 1, 1}, be.fused().avgPool2d(x, Pool2d.of(2, 2, 1, false)).toDoubleArray());
            Tensor dy = be.memory().ones(Shape.of(1, 1, 2, 2), DType.FLOAT64);
            assertArrayEquals(new double[] {1, 1, 1, 1}, be.fused().avgPool2dBackward(dy, x.shape(), Pool2d.of(2, 2, 1, false)).toDoubleArray());
            assertTrue(be.fused().avgPool2dBackward(dy, x.shape(), Pool2d.of(2, 2, 1, true)).toDoubleArray()[0] == 0.25);
        }
    }
}
