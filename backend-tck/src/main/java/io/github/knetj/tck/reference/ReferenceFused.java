package io.github.knetj.tck.reference;

import io.github.knetj.api.Backend;
import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.Fused;
import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.UnaryOp;

/**
 * The reference backend's optional kernels: each written from its definition, element by element in double, so that
 * they are the oracle for every other backend's (and for the composed defaults of {@link Fused}, which the rest keep).
 */
final class ReferenceFused implements Fused {
    private final ReferenceBackend backend;
    private final ReferenceElementwise elementwise;
    private final ReferenceReductions reductions;
    private final ReferenceLayout layout;
    private final ReferenceConvolution convolution;
    private final ReferenceNN nn;
    private final ReferenceMemory memory;

    ReferenceFused(ReferenceBackend backend, ReferenceMemory memory, ReferenceLayout layout, ReferenceElementwise elementwise,
                   ReferenceReductions reductions, ReferenceConvolution convolution, ReferenceNN nn) {
        this.backend = backend;
        this.memory = memory;
        this.layout = layout;
        this.elementwise = elementwise;
        this.reductions = reductions;
        this.convolution = convolution;
        this.nn = nn;
    }

    @Override public Backend backend() { return backend; }

    // Every unary and binary op from its definition in UnaryOp.apply / BinaryOp.apply, primitives or not.
    @Override public Tensor unary(UnaryOp op, Tensor x, double param) { return elementwise.unary(op, x, param); }
    @Override public Tensor binary(BinaryOp op, Tensor a, Tensor b) { return elementwise.binary(op, a, b); }
    @Override public Tensor affine(Tensor x, double scale, double shift) { return elementwise.affine(x, scale, shift); }
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
    @Override public Tensor adopt(float[] data, Shape shape) { return memory.adopt(data, shape); }
}
