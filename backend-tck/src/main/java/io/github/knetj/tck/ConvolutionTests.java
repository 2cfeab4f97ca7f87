package io.github.knetj.tck;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Conv2d;
import io.github.knetj.api.DType;
import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.tck.property.Domain;
import io.github.knetj.tck.property.Gens;
import io.github.knetj.tck.property.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;
import java.util.function.Supplier;

/** The suite's convolution part: conv2d and both backward passes, the transposed convolution, and both poolings. */
abstract class ConvolutionTests extends NNTests {
    ConvolutionTests(String name, Supplier<Backend> supplier) { super(name, supplier); }

    /**
     * Random geometry: N, C, O, kh, kw, stride, padding and dilation per axis, and how much the input exceeds the
     * smallest size the dilated kernel fits in (so every case is valid; kernels are often non-square, C often 1).
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void conv2d(DType dtype) {
        int[] lo = {1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0}, hi = {2, 3, 3, 4, 4, 3, 3, 2, 2, 2, 2, 5, 5};
        Property.forAll("conv2d " + dtype, Gens.seeded(Gens.intVector(lo, hi)), c -> {
            int[] g = c.value();
            Conv2d spec = new Conv2d(g[5], g[6], g[7], g[8], g[9], g[10]);
            int h = Math.max(1, g[9] * (g[3] - 1) + 1 - 2 * g[7]) + g[11], w = Math.max(1, g[10] * (g[4] - 1) + 1 - 2 * g[8]) + g[12];
            checkConv(dtype, c.random(), Shape.of(g[0], g[1], h, w), Shape.of(g[2], g[1], g[3], g[4]), spec);
        });
    }

    /** The two convolutions of LeNet-5 on 28×28 images: larger sums than the random cases. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void conv2dLeNet(DType dtype) {
        Property.forAll("conv2d LeNet " + dtype, Math.min(Property.tries(), 4), Gens.seeded(Gens.oneOf(1, 2)), c -> {
            if (c.value() == 1) checkConv(dtype, c.random(), Shape.of(2, 1, 28, 28), Shape.of(6, 1, 5, 5), Conv2d.defaults());
            else checkConv(dtype, c.random(), Shape.of(2, 6, 12, 12), Shape.of(16, 6, 5, 5), Conv2d.of(1, 2, 1));
        });
    }

    private void checkConv(DType dtype, SplittableRandom r, Shape xs, Shape ws, Conv2d spec) {
        Tensor[] x = both(r, xs, dtype, Domain.ANY), w = both(r, ws, dtype, Domain.ANY);
        Tensor y = ref.convolution().conv2d(x[0], w[0], spec);
        same(label("conv2d", dtype, xs, ws, spec), y, backend.convolution().conv2d(x[1], w[1], spec));
        Tensor[] dy = both(r, y.shape(), dtype, Domain.ANY);
        sameGrad(label("conv2dBackwardInput", dtype, dy[0].shape(), ws, "x " + xs, spec),
                ref.convolution().conv2dBackwardInput(dy[0], w[0], xs, spec), backend.convolution().conv2dBackwardInput(dy[1], w[1], xs, spec));
        sameGrad(label("conv2dBackwardWeight", dtype, xs, dy[0].shape(), "w " + ws, spec),
                ref.convolution().conv2dBackwardWeight(x[0], dy[0], ws, spec), backend.convolution().conv2dBackwardWeight(x[1], dy[1], ws, spec));
    }

    /** N, Cin, Cout, kh, kw, stride, padding, dilation, output padding (below the stride), H, W. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void convTranspose2d(DType dtype) {
        int[] lo = {1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 1}, hi = {2, 3, 3, 4, 4, 3, 2, 2, 2, 5, 5};
        Property.forAll("convTranspose2d " + dtype, Gens.seeded(Gens.intVector(lo, hi)), c -> {
            int[] g = c.value();
            int stride = g[5], dilation = g[7], outPad = Math.min(g[8], stride - 1);
            // The output, (H−1)·stride − 2·pad + dilation·(k−1) + outPad + 1, must keep at least one row and column.
            int room = Math.min((g[9] - 1) * stride + dilation * (g[3] - 1) + outPad, (g[10] - 1) * stride + dilation * (g[4] - 1) + outPad);
            Conv2d spec = Conv2d.of(stride, Math.min(g[6], room / 2), dilation);
            SplittableRandom r = c.random();
            Tensor[] x = both(r, Shape.of(g[0], g[1], g[9], g[10]), dtype, Domain.ANY), w = both(r, Shape.of(g[1], g[2], g[3], g[4]), dtype, Domain.ANY);
            same(label("convTranspose2d", dtype, x[0].shape(), w[0].shape(), spec, "outPad " + outPad),
                    ref.convolution().convTranspose2d(x[0], w[0], spec, outPad, outPad), backend.convolution().convTranspose2d(x[1], w[1], spec, outPad, outPad));
        });
    }

    /**
     * N, C, window, stride and padding per axis (padding at most half the window), countIncludePad, and the extra
     * input size; odd sizes leave cells no window covers. Half the cases use coarse values full of ties, where the
     * backward pass of max pooling must route to the first maximum of each window.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void pools(DType dtype) {
        int[] lo = {1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0}, hi = {2, 3, 3, 3, 3, 3, 1, 1, 1, 5, 5};
        Property.forAll("pool2d " + dtype, Gens.seeded(Gens.intVector(lo, hi)), c -> {
            int[] g = c.value();
            int padH = Math.min(g[6], g[2] / 2), padW = Math.min(g[7], g[3] / 2);
            Pool2d spec = new Pool2d(g[2], g[3], g[4], g[5], padH, padW, g[8] == 1);
            Shape xs = Shape.of(g[0], g[1], Math.max(1, g[2] - 2 * padH) + g[9], Math.max(1, g[3] - 2 * padW) + g[10]);
            SplittableRandom r = c.random();
            Tensor[] x = r.nextBoolean() ? coarse(r, xs, dtype) : both(r, xs, dtype, Domain.WIDE);
            Tensor y = ref.convolution().maxPool2d(x[0], spec);
            Tensor[] dy = both(r, y.shape(), dtype, Domain.ANY);
            same(label("maxPool2d", dtype, xs, spec), y, backend.convolution().maxPool2d(x[1], spec));
            sameGrad(label("maxPool2dBackward", dtype, xs, spec), ref.convolution().maxPool2dBackward(dy[0], x[0], spec),
                    backend.convolution().maxPool2dBackward(dy[1], x[1], spec));
            same(label("avgPool2d", dtype, xs, spec), ref.convolution().avgPool2d(x[0], spec), backend.convolution().avgPool2d(x[1], spec));
            sameGrad(label("avgPool2dBackward", dtype, xs, spec), ref.convolution().avgPool2dBackward(dy[0], xs, spec),
                    backend.convolution().avgPool2dBackward(dy[1], xs, spec));
        });
    }
}
