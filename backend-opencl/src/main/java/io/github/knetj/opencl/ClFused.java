package io.github.knetj.opencl;

import io.github.knetj.api.Backend;
import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.Checks;
import io.github.knetj.api.Conv2d;
import io.github.knetj.api.Fused;
import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.UnaryOp;

/**
 * The optional kernels this backend has on the device: every unary and binary op, affine, mean, logsumexp, argmax,
 * padding, average pooling, softmax, log-softmax and the class picks; on CPU devices, a convolution's or a linear layer's
 * bias added by the matrix product as it stores its output. The rest (recurrent cells, optimizer steps) are
 * the {@link Fused} defaults composed from the primitives.
 */
final class ClFused implements Fused {
    private final OpenClBackend backend;
    private final ClElementwise elementwise;
    private final ClReductions reductions;
    private final ClLayout layout;
    private final ClConvolution convolution;
    private final ClNN nn;

    ClFused(OpenClBackend backend, ClLayout layout, ClElementwise elementwise, ClReductions reductions, ClConvolution convolution, ClNN nn) {
        this.backend = backend;
        this.layout = layout;
        this.elementwise = elementwise;
        this.reductions = reductions;
        this.convolution = convolution;
        this.nn = nn;
    }

    @Override public Backend backend() { return backend; }

    @Override public Tensor unary(UnaryOp op, Tensor x, double param) { return elementwise.unary(op, x, param); }
    @Override public Tensor binary(BinaryOp op, Tensor a, Tensor b) { return elementwise.binary(op, a, b); }
    @Override public Tensor affine(Tensor x, double scale, double shift) { return elementwise.affine(x, scale, shift); }
    @Override public Tensor reluBackward(Tensor x, Tensor dy) { return elementwise.reluBackward(x, dy); }
    @Override public Tensor[] adamStep(Tensor w, Tensor g, Tensor m, Tensor v, double beta1, double beta2, double stepSize, double denomScale, double eps) {
        return elementwise.adamStep(w, g, m, v, beta1, beta2, stepSize, denomScale, eps);
    }
    @Override public Tensor mean(Tensor x, int[] axes, boolean keepdims) { return reductions.mean(x, axes, keepdims); }
    @Override public Tensor logsumexp(Tensor x, int[] axes, boolean keepdims) { return reductions.logsumexp(x, axes, keepdims); }
    @Override public int[] argmax(Tensor x, int axis) { return reductions.argmax(x, axis); }
    @Override public Tensor pad(Tensor x, int[] before, int[] after, double value) { return layout.pad(x, before, after, value); }
    @Override public Tensor avgPool2d(Tensor x, Pool2d spec) { return convolution.avgPool2d(x, spec); }
    @Override public Tensor avgPool2dBackward(Tensor dy, Shape xShape, Pool2d spec) { return convolution.avgPool2dBackward(dy, xShape, spec); }
    @Override public Tensor softmax(Tensor x, int axis) { return nn.softmax(x, axis); }
    @Override public Tensor logSoftmax(Tensor x, int axis) { return nn.logSoftmax(x, axis); }
    @Override public Tensor pickClasses(Tensor x, int[] labels) { return nn.pickClasses(x, labels); }
    @Override public Tensor placeClasses(Tensor g, int[] labels, int classes) { return nn.placeClasses(g, labels, classes); }

    /** On CPU devices the product adds the bias as it stores each output channel (no broadcast add over the output). */
    @Override public Tensor conv2d(Tensor x, Tensor w, Tensor b, Conv2d spec) {
        Checks.convBias(x, w, b);
        return b != null && backend.gemm().addsBias() ? convolution.conv2d(x, w, b, spec) : Fused.super.conv2d(x, w, b, spec);
    }

    /** On CPU devices the product adds the bias as it stores each row of y. */
    @Override public Tensor linear(Tensor x, Tensor w, Tensor b) {
        return b != null && backend.gemm().addsBias() ? backend.gemm().linear(x, w, b) : Fused.super.linear(x, w, b);
    }
}
