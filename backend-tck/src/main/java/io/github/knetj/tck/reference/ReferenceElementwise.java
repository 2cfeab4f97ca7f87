package io.github.knetj.tck.reference;

import io.github.knetj.api.Backend;
import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.Elementwise;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.UnaryOp;

/**
 * The reference element-wise kernels: each op's own definition ({@link UnaryOp#apply}, {@link BinaryOp#apply}) in
 * double, binary ops with NumPy broadcasting.
 */
final class ReferenceElementwise implements Elementwise {
    private final Backend backend;

    ReferenceElementwise(Backend backend) { this.backend = backend; }

    @Override public Tensor unary(UnaryOp op, Tensor x, double param) {
        DType d = ReferenceHost.check(op.label(), backend, x);
        double[] v = ReferenceHost.values(x);
        for (int i = 0; i < v.length; i++) v[i] = op.apply(v[i], param);
        return ReferenceHost.result(backend, x.shape(), d, v);
    }

    @Override public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        DType d = ReferenceHost.check(op.label(), backend, a, b);
        Shape out = Checks.broadcast(op.label(), a.shape(), b.shape());
        int[] ia = ReferenceHost.gatherIndex(out, ReferenceHost.broadcastStrides(a.shape(), out), 0);
        int[] ib = ReferenceHost.gatherIndex(out, ReferenceHost.broadcastStrides(b.shape(), out), 0);
        double[] va = ReferenceHost.values(a), vb = ReferenceHost.values(b);
        double[] y = new double[ia.length];
        for (int i = 0; i < y.length; i++) y[i] = op.apply(va[ia[i]], vb[ib[i]]);
        return ReferenceHost.result(backend, out, d, y);
    }

    public Tensor affine(Tensor x, double scale, double shift) {
        DType d = ReferenceHost.check("affine", backend, x);
        double[] v = ReferenceHost.values(x);
        for (int i = 0; i < v.length; i++) v[i] = scale * v[i] + shift;
        return ReferenceHost.result(backend, x.shape(), d, v);
    }
}
