package io.github.knetj.cpu;

import io.github.knetj.api.Backend;
import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.Elementwise;
import io.github.knetj.api.HostTensor;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.UnaryOp;
import io.github.knetj.cpu.fast.Parallel;

/**
 * Element-wise ops on the {@link Kernels} table. A binary op with broadcasting is reduced to rows: axes that both
 * operands walk the same way are merged, and each row of the innermost axis is one kernel call in which each operand
 * either walks (stride 1) or repeats one element (stride 0), so same-shape, scalar, bias-add (trailing broadcast) and
 * per-row (column broadcast) operands all run the SIMD loop. Work is split in blocks of {@link #BLOCK} elements so that
 * every element is computed the same way whatever the thread count.
 */
final class CpuElementwise implements Elementwise {
    /** Elements per block: a multiple of every vector length; blocks are the unit of work whatever the thread count. */
    static final int BLOCK = 1 << 14;
    /**
     * Elements from which a pass that only streams memory (an add, a copy, an SGD step) is split across threads. Both
     * threads share one memory bandwidth, so the gain is small: an SGD step over 78,400 floats took 25 µs on one thread
     * and 20 µs on two, over 1.6 M floats 690 and 509 µs. With the fork/join pool that {@link Parallel} replaced, two
     * threads were slower up to a million elements (59 against 27 µs at 78,400).
     */
    static final int PARALLEL_STREAMING = 1 << 16;
    /** The same for passes of several ns per element (exp, tanh, Adam's square root and division). */
    static final int PARALLEL_COMPUTING = 1 << 15;
    private final Backend backend;
    private final Kernels k;

    CpuElementwise(Backend backend, Kernels kernels) {
        this.backend = backend;
        this.k = kernels;
    }

    @Override public Tensor unary(UnaryOp op, Tensor x, double param) {
        DType d = Host.check(op.label(), backend, x);
        HostTensor in = Host.host(x), y = Host.uncleared(backend, x.shape(), d);
        int n = x.shape().sizeInt();
        blocks(n, computing(op), (from, len) -> {
            if (d == DType.FLOAT32) k.unary(op, param, in.floats(), from, y.floats(), from, len);
            else k.unary(op, param, in.doubles(), from, y.doubles(), from, len);
        });
        return y;
    }

    /** GELU's gradient in one pass: see {@link io.github.knetj.api.Fused#geluBackward}. */
    public Tensor geluBackward(Tensor x, Tensor dy) {
        DType d = Host.check("geluBackward", backend, x, dy);
        if (!x.shape().equals(dy.shape()))
            throw new IllegalArgumentException("geluBackward: expected dy of x's shape " + x.shape() + ", got " + dy.shape() + " (" + d + ")");
        HostTensor hx = Host.host(x), hd = Host.host(dy), dx = Host.uncleared(backend, x.shape(), d);
        blocks(x.shape().sizeInt(), true, (from, len) -> {
            if (d == DType.FLOAT32) k.geluBackward(hx.floats(), hd.floats(), dx.floats(), from, len);
            else k.geluBackward(hx.doubles(), hd.doubles(), dx.doubles(), from, len);
        });
        return dx;
    }

    /** ReLU's gradient in one pass: see {@link io.github.knetj.api.Fused#reluBackward}. */
    public Tensor reluBackward(Tensor x, Tensor dy) {
        DType d = Host.check("reluBackward", backend, x, dy);
        if (!x.shape().equals(dy.shape()))
            throw new IllegalArgumentException("reluBackward: expected dy of x's shape " + x.shape() + ", got " + dy.shape() + " (" + d + ")");
        HostTensor hx = Host.host(x), hd = Host.host(dy), dx = Host.uncleared(backend, x.shape(), d);
        blocks(x.shape().sizeInt(), (from, len) -> {
            if (d == DType.FLOAT32) k.reluBackward(hx.floats(), hd.floats(), dx.floats(), from, len);
            else k.reluBackward(hx.doubles(), hd.doubles(), dx.doubles(), from, len);
        });
        return dx;
    }

    public Tensor affine(Tensor x, double scale, double shift) {
        DType d = Host.check("affine", backend, x);
        HostTensor in = Host.host(x), y = Host.uncleared(backend, x.shape(), d);
        blocks(x.shape().sizeInt(), (from, len) -> {
            if (d == DType.FLOAT32) k.affine(in.floats(), from, y.floats(), from, len, scale, shift);
            else k.affine(in.doubles(), from, y.doubles(), from, len, scale, shift);
        });
        return y;
    }

    /** {@code w − lr·d} in one pass, rounded once: the default's scaled temporary is a third of the MLP's update traffic. */
    public Tensor sgdStep(Tensor w, Tensor d, double lr) {
        DType t = Host.check("sgdStep", backend, w, d);
        if (!d.shape().equals(w.shape())) throw new IllegalArgumentException("sgdStep: shapes differ: w " + w.shape() + ", d " + d.shape());
        HostTensor hw = Host.host(w), hd = Host.host(d), y = Host.uncleared(backend, w.shape(), t);
        blocks(w.shape().sizeInt(), (from, len) -> {
            if (t == DType.FLOAT32) {
                // In float32 with one rounding, as PyTorch's vectorized add(alpha = −lr) computes it; C2 vectorizes it.
                float[] fw = hw.floats(), fd = hd.floats(), out = y.floats();
                float minusLr = (float) -lr;
                for (int i = from; i < from + len; i++) out[i] = Math.fma(minusLr, fd[i], fw[i]);
            } else {
                double[] dw = hw.doubles(), dd = hd.doubles(), out = y.doubles();
                for (int i = from; i < from + len; i++) out[i] = dw[i] - lr * dd[i];
            }
        });
        return y;
    }

    /**
     * Adam in one pass over the four inputs, writing the three outputs directly: the default's dozen allocating
     * passes over a LeNet's 431 k parameters cost a few milliseconds of each step. Each element is computed in
     * double, as the reference does, and rounded once per output.
     */
    public Tensor[] adamStep(Tensor w, Tensor g, Tensor m, Tensor v, double beta1, double beta2, double stepSize, double denomScale, double eps) {
        DType d = Host.check("adamStep", backend, w, g, m, v);
        Shape s = w.shape();
        if (!g.shape().equals(s) || !m.shape().equals(s) || !v.shape().equals(s))
            throw new IllegalArgumentException("adamStep: shapes differ: w " + s + ", g " + g.shape() + ", m " + m.shape() + ", v " + v.shape());
        HostTensor hw = Host.host(w), hg = Host.host(g), hm = Host.host(m), hv = Host.host(v);
        HostTensor w1 = Host.uncleared(backend, s, d), m1 = Host.uncleared(backend, s, d), v1 = Host.uncleared(backend, s, d);
        double c1 = 1 - beta1, c2 = 1 - beta2;
        blocks(s.sizeInt(), true, (from, len) -> {
            if (d == DType.FLOAT32) {
                k.adam(hw.floats(), hg.floats(), hm.floats(), hv.floats(), w1.floats(), m1.floats(), v1.floats(), from, len,
                        beta1, beta2, stepSize, denomScale, eps);
            } else {
                double[] dw = hw.doubles(), dg = hg.doubles(), dm = hm.doubles(), dv = hv.doubles(), ow = w1.doubles(), om = m1.doubles(), ov = v1.doubles();
                for (int i = from; i < from + len; i++) {
                    double gi = dg[i], mi = beta1 * dm[i] + c1 * gi, vi = beta2 * dv[i] + c2 * gi * gi;
                    om[i] = mi;
                    ov[i] = vi;
                    ow[i] = dw[i] - stepSize * mi / (denomScale * Math.sqrt(vi) + eps);
                }
            }
        });
        return new Tensor[] {w1, m1, v1};
    }

    /** A body over elements [from, from+len). */
    @FunctionalInterface
    interface Span {
        void run(int from, int len);
    }

    /** Runs {@code body} over [0, n) in blocks of {@link #BLOCK}, in parallel from {@link #PARALLEL_STREAMING} elements. */
    static void blocks(int n, Span body) { blocks(n, false, body); }

    /** The same, in parallel from {@link #PARALLEL_COMPUTING} elements when {@code computing}. */
    static void blocks(int n, boolean computing, Span body) {
        int count = (n + BLOCK - 1) / BLOCK;
        Parallel.Range range = (b0, b1) -> {
            int from = b0 * BLOCK, to = (int) Math.min((long) b1 * BLOCK, n);
            body.run(from, to - from);
        };
        if (splits(n, computing)) Parallel.forRange(count, 1, range);
        else range.run(0, count);
    }

    /** Whether a pass over n elements is worth splitting across threads. */
    private static boolean splits(long n, boolean computing) { return n >= (computing ? PARALLEL_COMPUTING : PARALLEL_STREAMING); }

    /** Whether op costs several ns per element (a transcendental function), not a compare or a multiply. */
    private static boolean computing(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, SQUARE, RELU, LEAKY_RELU, SIGN, STEP -> false;
            default -> true;
        };
    }

    @Override public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        DType d = Host.check(op.label(), backend, a, b);
        Shape out = Checks.broadcast(op.label(), a.shape(), b.shape());
        HostTensor ha = Host.host(a), hb = Host.host(b), y = Host.uncleared(backend, out, d);
        int[] dims = out.dims(), sa = CpuLayout.broadcastStrides(a.shape(), out), sb = CpuLayout.broadcastStrides(b.shape(), out);
        // Merge axes (dropping those of length 1) where both operands step the same way, as StridedCopy does.
        int r = 0;
        int[] md = new int[dims.length], ma = new int[dims.length], mb = new int[dims.length];
        for (int ax = 0; ax < dims.length; ax++) {
            if (dims[ax] == 0) return y;
            if (dims[ax] == 1) continue;
            if (r > 0 && ma[r - 1] == sa[ax] * dims[ax] && mb[r - 1] == sb[ax] * dims[ax]) {
                md[r - 1] *= dims[ax];
                ma[r - 1] = sa[ax];
                mb[r - 1] = sb[ax];
                continue;
            }
            md[r] = dims[ax];
            ma[r] = sa[ax];
            mb[r] = sb[ax];
            r++;
        }
        int len = r == 0 ? 1 : md[r - 1], as = r == 0 ? 0 : ma[r - 1], bs = r == 0 ? 0 : mb[r - 1];
        int rows = out.sizeInt() / len, lead = Math.max(r - 1, 0);
        boolean computing = op == BinaryOp.POW;
        if (rows == 1) {
            // One long row: split it in blocks.
            blocks(len, computing, (from, n) -> row(op, d, ha, from * as, as, hb, from * bs, bs, y, from, n));
            return y;
        }
        Parallel.Range rowRange = (r0, r1) -> {
            for (int row = r0; row < r1; row++) {
                int ao = 0, bo = 0;
                for (int ax = lead - 1, rest = row; ax >= 0; ax--) {
                    int i = rest % md[ax];
                    rest /= md[ax];
                    ao += i * ma[ax];
                    bo += i * mb[ax];
                }
                row(op, d, ha, ao, as, hb, bo, bs, y, row * len, len);
            }
        };
        if (splits(out.sizeInt(), computing)) Parallel.forRange(rows, Math.max(1, BLOCK / len), rowRange);
        else rowRange.run(0, rows);
        return y;
    }

    private void row(BinaryOp op, DType d, HostTensor a, int ao, int as, HostTensor b, int bo, int bs, HostTensor y, int yo, int n) {
        if (d == DType.FLOAT32) k.binary(op, a.floats(), ao, as, b.floats(), bo, bs, y.floats(), yo, n);
        else k.binary(op, a.doubles(), ao, as, b.doubles(), bo, bs, y.doubles(), yo, n);
    }
}
