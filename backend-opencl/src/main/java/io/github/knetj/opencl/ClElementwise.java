package io.github.knetj.opencl;

import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.Elementwise;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.UnaryOp;

/**
 * Element-wise kernels: one unary kernel and one binary kernel switching on the op code, with a fast path for
 * operands of equal shape and strided reads (stride 0 along stretched axes, axes merged where possible) for
 * NumPy broadcasting.
 */
final class ClElementwise extends ClOps implements Elementwise {
    private static final String FILE = "elementwise.cl";

    ClElementwise(OpenClBackend backend) { super(backend); }

    @Override public Tensor unary(UnaryOp op, Tensor x, double param) {
        DType d = check(op.label(), x);
        ClTensor y = alloc(x.shape(), d);
        cl.launch(d, FILE, "unary", chunks(y.n()), null, op.ordinal(), x, y, y.n(), param);
        return y;
    }

    @Override public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        DType d = check(op.label(), a, b);
        Shape out = Checks.broadcast(op.label(), a.shape(), b.shape());
        ClTensor y = alloc(out, d);
        if (a.shape().equals(out) && b.shape().equals(out)) {
            cl.launch(d, FILE, "binary_same", chunks(y.n()), null, op.ordinal(), a, b, y, y.n());
        } else {
            int[][] c = collapse(out.dims(), ClLayout.broadcastStrides(a.shape(), out), ClLayout.broadcastStrides(b.shape(), out));
            if (c[0].length <= 3) {
                int[][] t = three(c);
                // A row per work-item suits a CPU; on a GPU neighbouring work-items should read neighbouring floats.
                boolean cpu = backend.family() == OpenClBackend.Family.CPU_VECTOR;
                if (cpu && dense(t[0], t[1]) && t[2][2] == 0)
                    cl.launch(d, FILE, "binary_rows3", rows(t[0]), null, op.ordinal(), 0, a, b, y, t[0], t[2]);
                else if (cpu && dense(t[0], t[2]) && t[1][2] == 0)
                    cl.launch(d, FILE, "binary_rows3", rows(t[0]), null, op.ordinal(), 1, b, a, y, t[0], t[1]);
                else cl.launch(d, FILE, "binary_broadcast3", range3(t[0]), null, op.ordinal(), a, b, y, t[0], t[1], t[2]);
            } else {
                cl.launch1(d, FILE, "binary_broadcast", y.n(), op.ordinal(), a, b, y, y.n(), c[0].length,
                        vec8(op.label(), c[0], 1), vec8(op.label(), c[1], 0), vec8(op.label(), c[2], 0));
            }
        }
        return y;
    }

    /** Elements per work-item of the unary and binary_same kernels on CPU devices (compiled in as CHUNK; 1 on GPUs). */
    static final int CPU_CHUNK = 256;

    /** The range of a kernel whose work-items do the context's chunk of elements each. */
    private long[] chunks(int n) { return new long[] {(n + cl.chunk - 1) / cl.chunk}; }

    /** The rows of a three-axis walk, a work-item each: (axis 1, axis 0). */
    private static long[] rows(int[] dims) { return new long[] {dims[1], dims[0]}; }

    /** Whether strides walk a three-axis walk's dims as the output does (row-major, contiguous); length-1 axes match any. */
    private static boolean dense(int[] dims, int[] strides) {
        for (int k = 0, step = 1; k < 3; k++) {
            int axis = 2 - k;
            if (dims[axis] > 1 && strides[axis] != step) return false;
            step *= dims[axis];
        }
        return true;
    }

    public Tensor affine(Tensor x, double scale, double shift) {
        DType d = check("affine", x);
        ClTensor y = alloc(x.shape(), d);
        cl.launch1(d, FILE, "affine", y.n(), x, y, y.n(), scale, shift);
        return y;
    }

    /** ReLU's gradient dy·step(x) in one kernel, instead of a step kernel, its mask and a product. */
    public Tensor reluBackward(Tensor x, Tensor dy) {
        DType d = check("reluBackward", x, dy);
        if (!x.shape().equals(dy.shape()))
            throw new IllegalArgumentException("reluBackward: expected dy of x's shape " + x.shape() + ", got " + dy.shape() + " (" + d + ")");
        ClTensor dx = alloc(x.shape(), d);
        cl.launch1(d, FILE, "relu_backward", dx.n(), x, dy, dx, dx.n());
        return dx;
    }

    /** One Adam step in one kernel: the composed default queued about a dozen kernels per parameter per step. */
    public Tensor[] adamStep(Tensor w, Tensor g, Tensor m, Tensor v, double beta1, double beta2, double stepSize, double denomScale, double eps) {
        DType d = check("adamStep", w, g, m, v);
        Shape s = w.shape();
        if (!g.shape().equals(s) || !m.shape().equals(s) || !v.shape().equals(s))
            throw new IllegalArgumentException("adamStep: shapes differ: w " + s + ", g " + g.shape() + ", m " + m.shape() + ", v " + v.shape());
        ClTensor w1 = alloc(s, d), m1 = alloc(s, d), v1 = alloc(s, d);
        cl.launch1(d, FILE, "adam_step", w1.n(), w, g, m, v, w1, m1, v1, w1.n(), beta1, 1 - beta1, beta2, 1 - beta2, stepSize, denomScale, eps);
        return new Tensor[] {w1, m1, v1};
    }
}
