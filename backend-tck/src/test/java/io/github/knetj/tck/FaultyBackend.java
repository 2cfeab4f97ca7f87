package io.github.knetj.tck;

import io.github.knetj.api.Backend;
import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.Conv2d;
import io.github.knetj.api.Convolution;
import io.github.knetj.api.DType;
import io.github.knetj.api.Elementwise;
import io.github.knetj.api.Fused;
import io.github.knetj.api.HostTensor;
import io.github.knetj.api.Layout;
import io.github.knetj.api.Linalg;
import io.github.knetj.api.Memory;
import io.github.knetj.api.NN;
import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Reductions;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.UnaryOp;
import io.github.knetj.tck.reference.ReferenceBackend;

import java.util.Set;

/**
 * A backend with one deliberate bug, for checking that the suite notices it: memory, element-wise and convolution
 * kernels delegate to a private reference backend, moving tensors across so that results live on this backend.
 */
final class FaultyBackend implements Backend {
    /** The bug to plant. */
    enum Fault {
        NONE,
        /** exp off by one part in 10⁷. */
        EXP_SLIGHTLY_OFF,
        /** sigmoid as e^x/(1+e^x): NaN at +800. */
        NAIVE_SIGMOID,
        /** conv2d ignoring dilation. */
        CONV_IGNORES_DILATION,
        /** avg pooling always dividing by the full window. */
        AVG_POOL_ALWAYS_INCLUDES_PAD,
    }

    private final Backend delegate = new ReferenceBackend();
    private final Fault fault;

    FaultyBackend(Fault fault) { this.fault = fault; }

    private Tensor in(Tensor t) { return t.backend() == this ? rehome(t, delegate) : t; }

    private Tensor out(Tensor t) { return rehome(t, this); }

    private static Tensor rehome(Tensor t, Backend b) {
        HostTensor h = (HostTensor) t;
        return h.floats() != null ? HostTensor.of(b, h.shape(), h.floats()) : HostTensor.of(b, h.shape(), h.doubles());
    }

    @Override public String name() { return "faulty-" + fault.name().toLowerCase(java.util.Locale.ROOT); }

    @Override public String device() { return "the reference backend with a planted bug: " + fault; }

    @Override public Set<DType> dtypes() { return delegate.dtypes(); }

    @Override public Memory memory() {
        Memory m = delegate.memory();
        return new Memory() {
            @Override public Tensor fromArray(float[] data, Shape shape) { return out(m.fromArray(data, shape)); }
            @Override public Tensor fromArray(double[] data, Shape shape, DType dtype) { return out(m.fromArray(data, shape, dtype)); }
            @Override public Tensor full(Shape shape, DType dtype, double value) { return out(m.full(shape, dtype, value)); }
            @Override public double[] toDoubleArray(Tensor t) { return m.toDoubleArray(in(t)); }
            @Override public float[] toFloatArray(Tensor t) { return m.toFloatArray(in(t)); }
            @Override public Tensor cast(Tensor t, DType dtype) { return out(m.cast(in(t), dtype)); }
        };
    }

    @Override public Elementwise elementwise() {
        Elementwise e = delegate.elementwise();
        Fused f = delegate.fused();
        return new Elementwise() {
            @Override public Tensor unary(UnaryOp op, Tensor x, double param) {
                if (op == UnaryOp.EXP && fault == Fault.EXP_SLIGHTLY_OFF) return out(f.affine(e.unary(op, in(x), param), 1 + 1e-7, 0));
                if (op == UnaryOp.SIGMOID && fault == Fault.NAIVE_SIGMOID) {
                    Tensor ex = e.unary(UnaryOp.EXP, in(x));
                    return out(e.binary(BinaryOp.DIV, ex, f.affine(ex, 1, 1)));
                }
                return out(e.unary(op, in(x), param));
            }
            @Override public Tensor binary(BinaryOp op, Tensor a, Tensor b) { return out(e.binary(op, in(a), in(b))); }
        };
    }

    @Override public Convolution convolution() {
        Convolution c = delegate.convolution();
        return new Convolution() {
            @Override public Tensor conv2d(Tensor x, Tensor w, Conv2d s) {
                Conv2d spec = fault == Fault.CONV_IGNORES_DILATION ? new Conv2d(s.strideH(), s.strideW(), s.padH(), s.padW(), 1, 1) : s;
                return out(c.conv2d(in(x), in(w), spec));
            }
            @Override public Tensor conv2dBackwardInput(Tensor dy, Tensor w, Shape xShape, Conv2d s) { return out(c.conv2dBackwardInput(in(dy), in(w), xShape, s)); }
            @Override public Tensor conv2dBackwardWeight(Tensor x, Tensor dy, Shape wShape, Conv2d s) { return out(c.conv2dBackwardWeight(in(x), in(dy), wShape, s)); }
            @Override public Tensor maxPool2d(Tensor x, Pool2d s) { return out(c.maxPool2d(in(x), s)); }
            @Override public Tensor maxPool2dBackward(Tensor dy, Tensor x, Pool2d s) { return out(c.maxPool2dBackward(in(dy), in(x), s)); }
        };
    }

    /**
     * Every unary op goes to the faulty element-wise kernel (as a backend with kernels for all of them does); average
     * pooling is the reference's, with the planted bug; the rest are the composed defaults.
     */
    @Override public Fused fused() {
        Fused f = delegate.fused();
        return new Fused() {
            @Override public Backend backend() { return FaultyBackend.this; }
            @Override public Tensor unary(UnaryOp op, Tensor x, double param) { return elementwise().unary(op, x, param); }
            @Override public Tensor avgPool2d(Tensor x, Pool2d s) { return out(f.avgPool2d(in(x), avg(s))); }
            @Override public Tensor avgPool2dBackward(Tensor dy, Shape xShape, Pool2d s) { return out(f.avgPool2dBackward(in(dy), xShape, avg(s))); }
        };
    }

    private Pool2d avg(Pool2d s) {
        if (fault != Fault.AVG_POOL_ALWAYS_INCLUDES_PAD) return s;
        return new Pool2d(s.windowH(), s.windowW(), s.strideH(), s.strideW(), s.padH(), s.padW(), true);
    }

    // The other op groups are not exercised by the fault tests; they stay the reference's own.
    @Override public Layout layout() { return delegate.layout(); }

    @Override public Reductions reductions() { return delegate.reductions(); }

    @Override public Linalg linalg() { return delegate.linalg(); }

    @Override public NN nn() { return delegate.nn(); }
}
