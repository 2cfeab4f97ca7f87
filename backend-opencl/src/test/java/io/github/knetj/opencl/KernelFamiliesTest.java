package io.github.knetj.opencl;

import io.github.knetj.api.Availability;
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
 * Both matrix-product families run on whatever device is here (PoCL in CI), so the GPU kernel (local-memory tiles)
 * is tested on every run, not only on GPU machines: products with ragged sizes, batches, transposes, and conv2d
 * with both backward passes (which go through the same products) against the reference backend; and the element-wise
 * and pooling kernels, whose work per work-item also differs by family.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KernelFamiliesTest {
    private final Backend ref = new ReferenceBackend();
    private OpenClDevices.Device device;

    @BeforeAll
    void start() {
        OpenClBackendProvider p = new OpenClBackendProvider();   // honours knetj.opencl.device / KNETJ_OPENCL_DEVICE
        Availability a = p.availability();
        if (!a.available()) BackendUnderTest.unavailable("opencl", a.reason());
        device = OpenClDevices.choose(OpenClDevices.all(), OpenClDevices.selector());
    }

    @ParameterizedTest
    @EnumSource(OpenClBackend.Family.class)
    void matmulOfRaggedSizesBatchesAndTransposes(OpenClBackend.Family family) {
        OpenClBackend b = new OpenClBackend(device, family);
        SplittableRandom r = new SplittableRandom(7);
        int[][] sizes = {{1, 1, 1}, {3, 5, 7}, {17, 33, 9}, {16, 16, 16}, {31, 1, 40}, {65, 23, 70}};
        for (DType d : DType.values()) {
            for (int[] s : sizes) {
                int m = s[0], k = s[1], n = s[2];
                check(b, r, d, Shape.of(m, k), Shape.of(k, n), false, false);
                check(b, r, d, Shape.of(k, m), Shape.of(n, k), true, true);
                check(b, r, d, Shape.of(3, m, k), Shape.of(3, k, n), false, false);
                check(b, r, d, Shape.of(2, m, k), Shape.of(n, k), false, true);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(OpenClBackend.Family.class)
    void conv2dAndItsGradients(OpenClBackend.Family family) {
        OpenClBackend b = new OpenClBackend(device, family);
        SplittableRandom r = new SplittableRandom(11);
        Conv2d spec = new Conv2d(2, 1, 1, 2, 1, 2);
        Shape xs = Shape.of(3, 2, 9, 8), ws = Shape.of(5, 2, 3, 3);
        for (DType d : DType.values()) {
            double[] x = values(r, xs), w = values(r, ws);
            Tensor xr = ref.memory().fromArray(x, xs, d), wr = ref.memory().fromArray(w, ws, d);
            Tensor xo = b.memory().fromArray(x, xs, d), wo = b.memory().fromArray(w, ws, d);
            Tensor yr = ref.convolution().conv2d(xr, wr, spec);
            Tolerance.assertClose("conv2d " + family + " " + d, yr, b.convolution().conv2d(xo, wo, spec), false);
            double[] dy = values(r, yr.shape());
            Tensor dyr = ref.memory().fromArray(dy, yr.shape(), d), dyo = b.memory().fromArray(dy, yr.shape(), d);
            Tolerance.assertClose("conv2dBackwardInput " + family + " " + d, ref.convolution().conv2dBackwardInput(dyr, wr, xs, spec),
                    b.convolution().conv2dBackwardInput(dyo, wo, xs, spec), true);
            Tolerance.assertClose("conv2dBackwardWeight " + family + " " + d, ref.convolution().conv2dBackwardWeight(xr, dyr, ws, spec),
                    b.convolution().conv2dBackwardWeight(xo, dyo, ws, spec), true);
        }
    }

    private void check(OpenClBackend b, SplittableRandom r, DType d, Shape as, Shape bs, boolean ta, boolean tb) {
        double[] av = values(r, as), bv = values(r, bs);
        Tensor expected = ref.linalg().matmul(ref.memory().fromArray(av, as, d), ref.memory().fromArray(bv, bs, d), ta, tb);
        Tensor actual = b.linalg().matmul(b.memory().fromArray(av, as, d), b.memory().fromArray(bv, bs, d), ta, tb);
        Tolerance.assertClose("matmul " + b.family() + " " + as + (ta ? "ᵀ" : "") + " · " + bs + (tb ? "ᵀ" : "") + " " + d, expected, actual, false);
    }

    /**
     * The element-wise and pooling kernels each family picks: a chunk of elements, a bias row and a row of 2×2 windows
     * per work-item on CPUs; one element or cell per work-item on GPUs.
     */
    @ParameterizedTest
    @EnumSource(OpenClBackend.Family.class)
    void elementwiseAndPoolingKernels(OpenClBackend.Family family) {
        OpenClBackend b = new OpenClBackend(device, family);
        SplittableRandom r = new SplittableRandom(13);
        Shape xs = Shape.of(3, 4, 10, 14), bias = Shape.of(1, 4, 1, 1);
        for (DType d : DType.values()) {
            double[] x = values(r, xs), c = values(r, bias);
            Tensor xr = ref.memory().fromArray(x, xs, d), xo = b.memory().fromArray(x, xs, d);
            Tensor cr = ref.memory().fromArray(c, bias, d), co = b.memory().fromArray(c, bias, d);
            String what = family + " " + d;
            Tolerance.assertClose("relu " + what, ref.fused().unary(UnaryOp.RELU, xr), b.fused().unary(UnaryOp.RELU, xo), false);
            Tolerance.assertClose("mul " + what, ref.fused().binary(BinaryOp.MUL, xr, xr), b.fused().binary(BinaryOp.MUL, xo, xo), false);
            Tolerance.assertClose("bias " + what, ref.fused().binary(BinaryOp.SUB, xr, cr), b.fused().binary(BinaryOp.SUB, xo, co), false);
            Tolerance.assertClose("bias first " + what, ref.fused().binary(BinaryOp.SUB, cr, xr), b.fused().binary(BinaryOp.SUB, co, xo), false);
            Pool2d p = Pool2d.of(2);
            Tensor yr = ref.convolution().maxPool2d(xr, p);
            Tolerance.assertClose("maxPool2d " + what, yr, b.convolution().maxPool2d(xo, p), false);
            double[] g = values(r, yr.shape());
            Tolerance.assertClose("maxPool2dBackward " + what, ref.convolution().maxPool2dBackward(ref.memory().fromArray(g, yr.shape(), d), xr, p),
                    b.convolution().maxPool2dBackward(b.memory().fromArray(g, yr.shape(), d), xo, p), false);
        }
    }

    private static double[] values(SplittableRandom r, Shape s) {
        double[] v = new double[s.sizeInt()];
        for (int i = 0; i < v.length; i++) v[i] = r.nextDouble(-1, 1);
        return v;
    }
}
