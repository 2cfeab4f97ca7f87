package io.github.knetj.opencl;

import io.github.knetj.api.Backend;
import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.Conv2d;
import io.github.knetj.api.DType;
import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.UnaryOp;
import io.github.knetj.tck.BackendUnderTest;
import io.github.knetj.tck.Tolerance;
import io.github.knetj.tck.reference.ReferenceBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

/**
 * The special cases this backend takes for speed, each against the reference backend: reductions over leading and
 * trailing axes around kept ones, max-pool backward with disjoint windows (including cells no window covers), 2×2
 * max pooling at stride 2, broadcasting whose axes merge, and products that read B's panels in place (row-major B
 * whose column count is a multiple of 16) beside the packed ones, and convolutions at stride 1 without padding or
 * dilation, whose column matrix is copied run by run; weight gradients whose column matrix is written into the
 * product's panels, in image groups.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FastPathsTest {
    private final Backend ref = new ReferenceBackend();
    private Backend cl;

    @BeforeAll
    void start() { cl = BackendUnderTest.get("opencl"); }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reductionsAroundKeptAxes(DType d) {
        Shape s = Shape.of(3, 4, 1, 5, 6);
        double[] v = values(new SplittableRandom(1), s);
        Tensor r = ref.memory().fromArray(v, s, d), c = cl.memory().fromArray(v, s, d);
        for (int[] axes : new int[][] {{0, 3, 4}, {0, 2, 3, 4}, {0, 4}}) {
            for (boolean keep : new boolean[] {true, false}) {
                String what = java.util.Arrays.toString(axes) + " keepdims " + keep + " " + d;
                Tolerance.assertClose("sum " + what, ref.reductions().sum(r, axes, keep), cl.reductions().sum(c, axes, keep), false);
                Tolerance.assertClose("mean " + what, ref.fused().mean(r, axes, keep), cl.fused().mean(c, axes, keep), false);
                Tolerance.assertClose("max " + what, ref.reductions().max(r, axes, keep), cl.reductions().max(c, axes, keep), false);
                Tolerance.assertClose("logsumexp " + what, ref.fused().logsumexp(r, axes, keep), cl.fused().logsumexp(c, axes, keep), false);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void maxPoolBackwardWithDisjointWindows(DType d) {
        Shape s = Shape.of(2, 3, 7, 8);
        SplittableRandom random = new SplittableRandom(2);
        double[] v = new double[s.sizeInt()];
        for (int i = 0; i < v.length; i++) v[i] = random.nextInt(-2, 3);   // many ties: the first max must win
        Tensor r = ref.memory().fromArray(v, s, d), c = cl.memory().fromArray(v, s, d);
        for (Pool2d spec : new Pool2d[] {Pool2d.of(2), new Pool2d(2, 2, 3, 3, 1, 1, true), new Pool2d(2, 3, 2, 4, 0, 1, false)}) {
            Shape ys = spec.outputShape(s);
            double[] g = values(random, ys);
            Tolerance.assertClose("maxPool2dBackward " + spec + " " + d,
                    ref.convolution().maxPool2dBackward(ref.memory().fromArray(g, ys, d), r, spec),
                    cl.convolution().maxPool2dBackward(cl.memory().fromArray(g, ys, d), c, spec), true);
        }
    }

    /**
     * The loop-free 2×2 stride-2 kernels: windows that tile the input (rows of 9 and 12 windows take the gradient's
     * four-window steps and their tail), and odd sizes whose last row and column no window covers.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void maxPoolTwoByTwo(DType d) {
        SplittableRandom random = new SplittableRandom(4);
        for (Shape s : new Shape[] {Shape.of(2, 3, 8, 6), Shape.of(1, 2, 7, 9), Shape.of(3, 1, 2, 2), Shape.of(2, 3, 8, 18), Shape.of(1, 2, 24, 24)}) {
            double[] v = new double[s.sizeInt()];
            for (int i = 0; i < v.length; i++) v[i] = random.nextInt(-2, 3);   // many ties: the first max must win
            Tensor r = ref.memory().fromArray(v, s, d), c = cl.memory().fromArray(v, s, d);
            Pool2d spec = Pool2d.of(2);
            Shape ys = spec.outputShape(s);
            double[] g = values(random, ys);
            Tolerance.assertClose("maxPool2d " + s + " " + d, ref.convolution().maxPool2d(r, spec), cl.convolution().maxPool2d(c, spec), false);
            Tolerance.assertClose("maxPool2dBackward " + s + " " + d,
                    ref.convolution().maxPool2dBackward(ref.memory().fromArray(g, ys, d), r, spec),
                    cl.convolution().maxPool2dBackward(cl.memory().fromArray(g, ys, d), c, spec), true);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void broadcastingWithMergedAxes(DType d) {
        SplittableRandom random = new SplittableRandom(3);
        // Bias-like pairs (one operand constant along the innermost axis, either side: binary_rows3) and the rest.
        Shape[][] pairs = {{Shape.of(4, 3, 5, 6), Shape.of(1, 3, 1, 1)}, {Shape.of(2, 1, 5, 6), Shape.of(3, 1, 1)}, {Shape.of(7, 1), Shape.of(1, 1)},
                {Shape.of(1, 3, 1, 1), Shape.of(4, 3, 5, 6)}, {Shape.of(5, 4, 1), Shape.of(5, 4, 9)}, {Shape.of(2, 3, 4), Shape.of(2, 1, 1)},
                {Shape.of(6, 1), Shape.of(6, 8)}, {Shape.of(3, 7), Shape.of(7)}};
        for (Shape[] p : pairs) {
            double[] a = values(random, p[0]), b = values(random, p[1]);
            Tolerance.assertClose("sub " + p[0] + " " + p[1] + " " + d,
                    ref.fused().binary(BinaryOp.SUB, ref.memory().fromArray(a, p[0], d), ref.memory().fromArray(b, p[1], d)),
                    cl.fused().binary(BinaryOp.SUB, cl.memory().fromArray(a, p[0], d), cl.memory().fromArray(b, p[1], d)), false);
        }
    }

    /** B read in place (n = 16, 48, 64; batched, shared by the batch) and packed (transposed B, n = 20, n = 1024). */
    @ParameterizedTest
    @EnumSource(DType.class)
    void productsReadingPanelsInPlace(DType d) {
        SplittableRandom random = new SplittableRandom(5);
        int[][] shapes = {{7, 9, 16}, {13, 25, 48}, {20, 500, 64}, {5, 3, 20}, {3, 4, 1024}};   // m, k, n
        for (int[] mkn : shapes) {
            for (boolean batchedB : new boolean[] {true, false}) {
                for (boolean transB : new boolean[] {false, true}) {
                    Shape as = Shape.of(3, mkn[0], mkn[1]);
                    Shape bs = transB ? (batchedB ? Shape.of(3, mkn[2], mkn[1]) : Shape.of(mkn[2], mkn[1]))
                            : (batchedB ? Shape.of(3, mkn[1], mkn[2]) : Shape.of(mkn[1], mkn[2]));
                    double[] a = values(random, as), b = values(random, bs);
                    Tolerance.assertClose("matmul " + as + " " + bs + (transB ? " transB " : " ") + d,
                            ref.linalg().matmul(ref.memory().fromArray(a, as, d), ref.memory().fromArray(b, bs, d), false, transB),
                            cl.linalg().matmul(cl.memory().fromArray(a, as, d), cl.memory().fromArray(b, bs, d), false, transB), false);
                }
            }
        }
    }

    /**
     * The CPU kernel's work-items take two 16-column panels each: every way the last pair can end (one panel, part of
     * one, the second whole or partial), packed and in place, with a row count that leaves a partial row tile.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void productsByPairsOfPanels(DType d) {
        SplittableRandom random = new SplittableRandom(7);
        for (int n : new int[] {1, 15, 16, 17, 31, 32, 33, 47, 48, 49, 63, 64, 65, 80, 96, 100}) {
            for (boolean transB : new boolean[] {false, true}) {
                Shape as = Shape.of(11, 9), bs = transB ? Shape.of(n, 9) : Shape.of(9, n);
                double[] a = values(random, as), b = values(random, bs);
                Tolerance.assertClose("matmul " + as + " " + bs + (transB ? " transB " : " ") + d,
                        ref.linalg().matmul(ref.memory().fromArray(a, as, d), ref.memory().fromArray(b, bs, d), false, transB),
                        cl.linalg().matmul(cl.memory().fromArray(a, as, d), cl.memory().fromArray(b, bs, d), false, transB), false);
            }
        }
    }

    /** im2col_valid (stride 1, no padding, no dilation) beside the general im2col, forward and both gradients. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void convolutionsWithoutPadding(DType d) {
        SplittableRandom random = new SplittableRandom(6);
        Shape[][] cases = {{Shape.of(2, 3, 9, 7), Shape.of(4, 3, 3, 2)}, {Shape.of(3, 20, 12, 12), Shape.of(50, 20, 5, 5)}, {Shape.of(1, 1, 5, 5), Shape.of(2, 1, 5, 5)}};
        for (Shape[] xw : cases)
            for (Conv2d spec : new Conv2d[] {Conv2d.of(1, 0, 1), Conv2d.of(1, 1, 1)}) convolutions(d, random, xw[0], xw[1], spec, true);
    }

    /**
     * The CPU kernels' weight gradient: the column matrix written into panels (stride 1 without padding, and the
     * general form), split into image groups where the output has few tiles (12 images: 12 groups; 7, a prime: 7),
     * and the input gradient's per-plane col2im at strides, padding and dilation.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void weightGradientsInImageGroups(DType d) {
        SplittableRandom random = new SplittableRandom(7);
        Shape[][] cases = {{Shape.of(12, 1, 10, 10), Shape.of(3, 1, 3, 3)}, {Shape.of(7, 2, 9, 8), Shape.of(4, 2, 3, 2)},
                {Shape.of(100, 1, 28, 28), Shape.of(20, 1, 5, 5)}, {Shape.of(2, 9, 6, 6), Shape.of(17, 9, 2, 2)}};
        Conv2d[] specs = {Conv2d.of(1, 0, 1), Conv2d.of(2, 1, 1), new Conv2d(1, 2, 2, 1, 2, 1), new Conv2d(3, 1, 0, 2, 1, 2)};
        for (Shape[] xw : cases) for (Conv2d spec : specs) convolutions(d, random, xw[0], xw[1], spec, false);
    }

    /** Both gradients of a convolution (and its forward pass when {@code forward}) against the reference backend. */
    private void convolutions(DType d, SplittableRandom random, Shape xs, Shape ws, Conv2d spec, boolean forward) {
        Shape ys = spec.outputShape(xs, ws);
        double[] x = values(random, xs), w = values(random, ws), g = values(random, ys);
        Tensor rx = ref.memory().fromArray(x, xs, d), rw = ref.memory().fromArray(w, ws, d), rg = ref.memory().fromArray(g, ys, d);
        Tensor cx = cl.memory().fromArray(x, xs, d), cw = cl.memory().fromArray(w, ws, d), cg = cl.memory().fromArray(g, ys, d);
        String what = xs + " " + ws + " " + spec + " " + d;
        if (forward) Tolerance.assertClose("conv2d " + what, ref.convolution().conv2d(rx, rw, spec), cl.convolution().conv2d(cx, cw, spec), false);
        Tolerance.assertClose("conv2dBackwardWeight " + what, ref.convolution().conv2dBackwardWeight(rx, rg, ws, spec),
                cl.convolution().conv2dBackwardWeight(cx, cg, ws, spec), false);
        Tolerance.assertClose("conv2dBackwardInput " + what, ref.convolution().conv2dBackwardInput(rg, rw, xs, spec),
                cl.convolution().conv2dBackwardInput(cg, cw, xs, spec), false);
    }

    /** unary and binary_same in chunks of 256 elements per work-item: the ops with their own loop and the shared one, at chunk edges. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void elementwiseInChunks(DType d) {
        SplittableRandom random = new SplittableRandom(8);
        for (int n : new int[] {1, 255, 256, 257, 1000}) {
            Shape s = Shape.of(n);
            double[] a = values(random, s), b = values(random, s);
            Tensor ra = ref.memory().fromArray(a, s, d), rb = ref.memory().fromArray(b, s, d), ca = cl.memory().fromArray(a, s, d), cb = cl.memory().fromArray(b, s, d);
            for (UnaryOp op : new UnaryOp[] {UnaryOp.RELU, UnaryOp.EXP,
                    UnaryOp.STEP, UnaryOp.SIGN, UnaryOp.ABS})
                Tolerance.assertClose(op + " of " + n + " " + d, ref.fused().unary(op, ra), cl.fused().unary(op, ca), false);
            for (BinaryOp op : new BinaryOp[] {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.MAXIMUM})
                Tolerance.assertClose(op + " of " + n + " " + d, ref.fused().binary(op, ra, rb), cl.fused().binary(op, ca, cb), false);
        }
    }

    private static double[] values(SplittableRandom r, Shape s) {
        double[] v = new double[s.sizeInt()];
        for (int i = 0; i < v.length; i++) v[i] = r.nextDouble(-2, 2);
        return v;
    }
}
