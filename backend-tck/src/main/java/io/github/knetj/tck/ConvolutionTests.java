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
    /** A conv2d case: input and weight shapes and the geometry. */
    record ConvCase(Shape x, Shape w, Conv2d spec) {
        /** From N, C, O, kh, kw, stride, padding and dilation per axis, and the input's extra rows and columns. */
        static ConvCase of(int[] g) {
            Conv2d spec = new Conv2d(g[5], g[6], g[7], g[8], g[9], g[10]);
            // The smallest input the dilated kernel fits in, plus the extra.
            int h = Math.max(1, g[9] * (g[3] - 1) + 1 - 2 * g[7]) + g[11], w = Math.max(1, g[10] * (g[4] - 1) + 1 - 2 * g[8]) + g[12];
            return new ConvCase(Shape.of(g[0], g[1], h, w), Shape.of(g[2], g[1], g[3], g[4]), spec);
        }

        @Override public String toString() { return "x " + x + " w " + w + " " + spec; }
    }

    /** Random geometry (kernels often non-square, C often 1); every case is valid, padding may exceed the kernel. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void conv2d(DType dtype) {
        int[] lo = {1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0}, hi = {2, 3, 3, 4, 4, 3, 3, 2, 2, 2, 2, 5, 5};
        Property.forAll("conv2d " + dtype, Gens.seeded(Gens.intVector(lo, hi).map(ConvCase::of)),
                c -> checkConv(dtype, c.random(), c.value().x(), c.value().w(), c.value().spec()));
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

    /** {@code fused().conv2d(x, w, b, spec)}: the product and a per-channel bias (1, O, 1, 1) in one call, or no bias. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void conv2dWithBias(DType dtype) {
        int[] lo = {1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0}, hi = {3, 3, 4, 4, 4, 2, 2, 2, 2, 1, 1, 5, 5};
        Property.forAll("conv2d with bias " + dtype, Gens.seeded(Gens.intVector(lo, hi).map(ConvCase::of)), c -> {
            SplittableRandom r = c.random();
            Shape xs = c.value().x(), ws = c.value().w();
            Tensor[] x = both(r, xs, dtype, Domain.ANY), w = both(r, ws, dtype, Domain.ANY);
            boolean bias = r.nextBoolean();
            Tensor[] b = bias ? both(r, Shape.of(1, ws.dim(0), 1, 1), dtype, Domain.ANY) : new Tensor[2];
            same(label("conv2d with bias", dtype, xs, ws, bias ? b[0].shape() : "no bias", c.value().spec()),
                    ref.fused().conv2d(x[0], w[0], b[0], c.value().spec()), backend.fused().conv2d(x[1], w[1], b[1], c.value().spec()));
        });
        // LeNet's second layer, whose products take the backend's fast paths.
        SplittableRandom r = new SplittableRandom(29);
        Tensor[] x = both(r, Shape.of(3, 20, 12, 12), dtype, Domain.ANY), w = both(r, Shape.of(50, 20, 5, 5), dtype, Domain.ANY),
                b = both(r, Shape.of(1, 50, 1, 1), dtype, Domain.ANY);
        same(label("conv2d with bias, LeNet conv2", dtype), ref.fused().conv2d(x[0], w[0], b[0], Conv2d.defaults()),
                backend.fused().conv2d(x[1], w[1], b[1], Conv2d.defaults()));
    }

    /**
     * {@code fused().conv2dMaxPool(x, w, b, spec, pool)}: the convolution with or without a bias and the max pooling of
     * its output, both returned, for random geometry and windows of 2 at stride 2 (the common case) or 3 at stride 2
     * with padding 1; then LeNet's two layers, whose float32 products take the backend's fast paths.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void conv2dMaxPool(DType dtype) {
        int[] lo = {1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1}, hi = {3, 3, 4, 4, 4, 2, 2, 2, 2, 1, 1, 6, 6};
        Property.forAll("conv2dMaxPool " + dtype, Gens.seeded(Gens.intVector(lo, hi).map(ConvCase::of)), c -> {
            SplittableRandom r = c.random();
            Shape ys = c.value().spec().outputShape(c.value().x(), c.value().w());
            // A window of 2 needs two rows and columns; 3 with padding 1 fits any output.
            Pool2d pool = r.nextBoolean() && ys.dim(2) > 1 && ys.dim(3) > 1 ? Pool2d.of(2) : Pool2d.of(3, 2, 1, true);
            checkConvMaxPool(dtype, r, c.value().x(), c.value().w(), c.value().spec(), pool, r.nextBoolean());
        });
        SplittableRandom r = new SplittableRandom(31);
        checkConvMaxPool(dtype, r, Shape.of(3, 1, 28, 28), Shape.of(20, 1, 5, 5), Conv2d.defaults(), Pool2d.of(2), true);
        checkConvMaxPool(dtype, r, Shape.of(3, 20, 12, 12), Shape.of(50, 20, 5, 5), Conv2d.defaults(), Pool2d.of(2), true);
        checkConvMaxPool(dtype, r, Shape.of(2, 1, 29, 27), Shape.of(6, 1, 5, 5), Conv2d.defaults(), Pool2d.of(2), false);
    }

    /**
     * {@code fused().conv2dBackwardWeightBias(x, dy, wShape, spec)}: the weight gradient and the bias gradient (dy summed
     * to (1, O, 1, 1)) in one call, for random geometry, then LeNet's first layer (few output channels, whose float32
     * weight gradient takes the backend's direct kernel) and second.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void conv2dBackwardWeightBias(DType dtype) {
        int[] lo = {1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0}, hi = {3, 3, 4, 4, 4, 2, 2, 2, 2, 2, 2, 5, 5};
        Property.forAll("conv2dBackwardWeightBias " + dtype, Gens.seeded(Gens.intVector(lo, hi).map(ConvCase::of)),
                c -> checkWeightBias(dtype, c.random(), c.value().x(), c.value().w(), c.value().spec()));
        SplittableRandom r = new SplittableRandom(37);
        checkWeightBias(dtype, r, Shape.of(11, 1, 28, 28), Shape.of(20, 1, 5, 5), Conv2d.defaults());
        checkWeightBias(dtype, r, Shape.of(3, 20, 12, 12), Shape.of(50, 20, 5, 5), Conv2d.defaults());
    }

    private void checkWeightBias(DType dtype, SplittableRandom r, Shape xs, Shape ws, Conv2d spec) {
        Tensor[] x = both(r, xs, dtype, Domain.ANY), dy = both(r, spec.outputShape(xs, ws), dtype, Domain.ANY);
        Tensor[] got = backend.fused().conv2dBackwardWeightBias(x[1], dy[1], ws, spec);
        String what = label("conv2dBackwardWeightBias", dtype, xs, dy[0].shape(), "w " + ws, spec);
        sameGrad(what + " dW", ref.convolution().conv2dBackwardWeight(x[0], dy[0], ws, spec), got[0]);
        sameGrad(what + " db", ref.reductions().sumTo(dy[0], Shape.of(1, ws.dim(0), 1, 1)), got[1]);
    }

    private void checkConvMaxPool(DType dtype, SplittableRandom r, Shape xs, Shape ws, Conv2d spec, Pool2d pool, boolean bias) {
        Tensor[] x = both(r, xs, dtype, Domain.ANY), w = both(r, ws, dtype, Domain.ANY);
        Tensor[] b = bias ? both(r, Shape.of(1, ws.dim(0), 1, 1), dtype, Domain.ANY) : new Tensor[2];
        Tensor y = ref.fused().conv2d(x[0], w[0], b[0], spec);
        Tensor[] got = backend.fused().conv2dMaxPool(x[1], w[1], b[1], spec, pool);
        String what = label("conv2dMaxPool", dtype, xs, ws, bias ? "bias" : "no bias", spec, pool);
        same(what + " y", y, got[0]);
        same(what + " pooled", ref.convolution().maxPool2d(y, pool), got[1]);
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

    /** A transposed-convolution case: x (N, Cin, H, W), w (Cin, Cout, kh, kw), the geometry and the output padding. */
    record TransposedCase(Shape x, Shape w, Conv2d spec, int outPad) {
        /** From N, Cin, Cout, kh, kw, stride, padding, dilation, output padding (kept below the stride), H, W. */
        static TransposedCase of(int[] g) {
            int stride = g[5], dilation = g[7], outPad = Math.min(g[8], stride - 1);
            // The output, (H−1)·stride − 2·pad + dilation·(k−1) + outPad + 1, must keep at least one row and column.
            int room = Math.min((g[9] - 1) * stride + dilation * (g[3] - 1) + outPad, (g[10] - 1) * stride + dilation * (g[4] - 1) + outPad);
            return new TransposedCase(Shape.of(g[0], g[1], g[9], g[10]), Shape.of(g[1], g[2], g[3], g[4]), Conv2d.of(stride, Math.min(g[6], room / 2), dilation), outPad);
        }

        @Override public String toString() { return "x " + x + " w " + w + " " + spec + " outPad " + outPad; }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void convTranspose2d(DType dtype) {
        int[] lo = {1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 1}, hi = {2, 3, 3, 4, 4, 3, 2, 2, 2, 5, 5};
        Property.forAll("convTranspose2d " + dtype, Gens.seeded(Gens.intVector(lo, hi).map(TransposedCase::of)), c -> {
            TransposedCase t = c.value();
            SplittableRandom r = c.random();
            Tensor[] x = both(r, t.x(), dtype, Domain.ANY), w = both(r, t.w(), dtype, Domain.ANY);
            same(label("convTranspose2d", dtype, t), ref.fused().convTranspose2d(x[0], w[0], t.spec(), t.outPad(), t.outPad()),
                    backend.fused().convTranspose2d(x[1], w[1], t.spec(), t.outPad(), t.outPad()));
        });
    }

    /** A pooling case: the input shape and the geometry. */
    record PoolCase(Shape x, Pool2d spec) {
        /** From N, C, window, stride and padding per axis (padding at most half the window), countIncludePad, extra H and W. */
        static PoolCase of(int[] g) {
            int padH = Math.min(g[6], g[2] / 2), padW = Math.min(g[7], g[3] / 2);
            Pool2d spec = new Pool2d(g[2], g[3], g[4], g[5], padH, padW, g[8] == 1);
            return new PoolCase(Shape.of(g[0], g[1], Math.max(1, g[2] - 2 * padH) + g[9], Math.max(1, g[3] - 2 * padW) + g[10]), spec);
        }

        @Override public String toString() { return "x " + x + " " + spec; }
    }

    /**
     * Both poolings and their backward passes; odd sizes leave cells no window covers. Half the cases use coarse values
     * full of ties, where the backward pass of max pooling must route to the first maximum of each window.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void pools(DType dtype) {
        int[] lo = {1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0}, hi = {2, 3, 3, 3, 3, 3, 1, 1, 1, 5, 5};
        Property.forAll("pool2d " + dtype, Gens.seeded(Gens.intVector(lo, hi).map(PoolCase::of)), c -> {
            Shape xs = c.value().x();
            Pool2d spec = c.value().spec();
            SplittableRandom r = c.random();
            Tensor[] x = r.nextBoolean() ? coarse(r, xs, dtype) : both(r, xs, dtype, Domain.WIDE);
            Tensor y = ref.convolution().maxPool2d(x[0], spec);
            Tensor[] dy = both(r, y.shape(), dtype, Domain.ANY);
            same(label("maxPool2d", dtype, xs, spec), y, backend.convolution().maxPool2d(x[1], spec));
            sameGrad(label("maxPool2dBackward", dtype, xs, spec), ref.convolution().maxPool2dBackward(dy[0], x[0], spec),
                    backend.convolution().maxPool2dBackward(dy[1], x[1], spec));
            same(label("avgPool2d", dtype, xs, spec), ref.fused().avgPool2d(x[0], spec), backend.fused().avgPool2d(x[1], spec));
            sameGrad(label("avgPool2dBackward", dtype, xs, spec), ref.fused().avgPool2dBackward(dy[0], xs, spec),
                    backend.fused().avgPool2dBackward(dy[1], xs, spec));
        });
    }
}
