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
        DType d = Host.check(op.label(), backend, x);
        double[] v = Host.values(x);
        for (int i = 0; i < v.length; i++) v[i] = op.apply(v[i], param);
        return Host.result(backend, x.shape(), d, v);
    }

    @Override public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        DType d = Host.check(op.label(), backend, a, b);
        Shape out = Checks.broadcast(op.label(), a.shape(), b.shape());
        int[] ia = Host.gatherIndex(out, Host.broadcastStrides(a.shape(), out), 0);
        int[] ib = Host.gatherIndex(out, Host.broadcastStrides(b.shape(), out), 0);
        double[] va = Host.values(a), vb = Host.values(b);
        double[] y = new double[ia.length];
        for (int i = 0; i < y.length; i++) y[i] = op.apply(va[ia[i]], vb[ib[i]]);
        return Host.result(backend, out, d, y);
    }

    public Tensor affine(Tensor x, double scale, double shift) {
        DType d = Host.check("affine", backend, x);
        double[] v = Host.values(x);
        for (int i = 0; i < v.length; i++) v[i] = scale * v[i] + shift;
        return Host.result(backend, x.shape(), d, v);
    }
}
