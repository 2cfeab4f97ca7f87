package io.github.knetj.cpu;

import io.github.knetj.api.Backend;
import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.HostTensor;
import io.github.knetj.api.Reductions;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.UnaryOp;
import io.github.knetj.cpu.fast.Parallel;

/**
 * Reductions over any axes, as passes of one shape: the input seen as (A, R, B) with the R axis reduced. Over the last
 * axis (B = 1) each output is one SIMD sum or max of a contiguous row; over leading or middle axes (B > 1) rows of B are
 * added (or maxed) into an accumulator row. Several reduced groups of axes are reduced one pass at a time, innermost
 * first. Every output element is accumulated in the same order whatever the thread count.
 */
final class CpuReductions implements Reductions {
    private final Backend backend;
    private final Kernels k;

    CpuReductions(Backend backend, Kernels kernels) {
        this.backend = backend;
        this.k = kernels;
    }

    @Override public Tensor sum(Tensor x, int[] axes, boolean keepdims) { return reduce("sum", x, axes, keepdims, false, false); }

    public Tensor mean(Tensor x, int[] axes, boolean keepdims) { return reduce("mean", x, axes, keepdims, false, true); }

    @Override public Tensor max(Tensor x, int[] axes, boolean keepdims) { return reduce("max", x, axes, keepdims, true, false); }

    public Tensor logsumexp(Tensor x, int[] axes, boolean keepdims) {
        Host.check("logsumexp", backend, x);
        int[] ax = Checks.reduceAxes("logsumexp", x.shape(), axes);
        Tensor m = reduce("logsumexp", x, ax, true, true, false);
        // e^(x−m) ≤ 1 never overflows; an infinite max (all −∞, or some +∞) is itself the answer, set below.
        Tensor e = backend.fused().unary(UnaryOp.EXP, backend.fused().binary(BinaryOp.SUB, x, m));
        HostTensor s = Host.host(reduce("logsumexp", e, ax, true, false, false)), hm = Host.host(m);
        int n = s.shape().sizeInt();
        if (s.floats() != null) {
            float[] v = s.floats(), mv = hm.floats();
            for (int i = 0; i < n; i++) v[i] = Float.isInfinite(mv[i]) ? mv[i] : (float) (mv[i] + Math.log(v[i]));
        } else {
            double[] v = s.doubles(), mv = hm.doubles();
            for (int i = 0; i < n; i++) v[i] = Double.isInfinite(mv[i]) ? mv[i] : mv[i] + Math.log(v[i]);
        }
        return s.reshaped(Checks.reducedShape(x.shape(), ax, keepdims));
    }

    private Tensor reduce(String op, Tensor x, int[] axes, boolean keepdims, boolean max, boolean mean) {
        DType d = Host.check(op, backend, x);
        Shape shape = x.shape();
        int[] ax = Checks.reduceAxes(op, shape, axes);
        Shape out = Checks.reducedShape(shape, ax, keepdims);
        int outSize = out.sizeInt();
        if (shape.size() == 0 || outSize == 0) {
            // Nothing to reduce: the identity of the reduction (0/0 for a mean, as in the reference).
            return backend.memory().full(out, d, max ? Double.NEGATIVE_INFINITY : mean ? Double.NaN : 0);
        }
        // Groups of adjacent axes with the same status, axes of length 1 dropped: [kept, reduced, kept, ...].
        boolean[] red = new boolean[shape.rank()];
        for (int a : ax) red[a] = true;
        int[] gd = new int[shape.rank()];
        boolean[] gr = new boolean[shape.rank()];
        int g = 0;
        for (int a = 0; a < shape.rank(); a++) {
            if (shape.dim(a) == 1) continue;
            if (g > 0 && gr[g - 1] == red[a]) gd[g - 1] *= shape.dim(a);
            else { gd[g] = shape.dim(a); gr[g] = red[a]; g++; }
        }
        Object data = Host.array(x);
        boolean copied = false;
        for (int last = g - 1; last >= 0; last--) {
            if (!gr[last]) continue;
            int before = 1, after = 1;
            for (int i = 0; i < last; i++) before *= gd[i];
            for (int i = last + 1; i < g; i++) after *= gd[i];
            data = pass(data, before, gd[last], after, max);
            gd[last] = 1;
            copied = true;
        }
        if (!copied) data = data instanceof float[] f ? f.clone() : ((double[]) data).clone();
        HostTensor y = data instanceof float[] f ? HostTensor.of(backend, out, f) : HostTensor.of(backend, out, (double[]) data);
        if (mean) {
            double count = (double) shape.size() / outSize;
            CpuElementwise.blocks(outSize, (from, len) -> {
                if (d == DType.FLOAT32) k.affine(y.floats(), from, y.floats(), from, len, 1 / count, 0);
                else k.affine(y.doubles(), from, y.doubles(), from, len, 1 / count, 0);
            });
        }
        return y;
    }

    /** Reduces the middle axis of x seen as (A, R, B) into a new (A, B) array. */
    private Object pass(Object x, int a, int r, int b, boolean max) {
        boolean f32 = x instanceof float[];
        Object y = f32 ? new float[a * b] : new double[a * b];
        if (b == 1) {
            Parallel.forRange(a, Host.grain(r), (a0, a1) -> {
                for (int i = a0; i < a1; i++) {
                    if (f32) ((float[]) y)[i] = (float) (max ? k.max((float[]) x, i * r, r) : k.sum((float[]) x, i * r, r));
                    else ((double[]) y)[i] = max ? k.max((double[]) x, i * r, r) : k.sum((double[]) x, i * r, r);
                }
            });
            return y;
        }
        // Columns of B are split too when there are fewer rows of A than threads (a sum over the batch axis).
        int cols = a >= Parallel.threads() ? b : Math.max(CpuElementwise.BLOCK / 16, (b + Parallel.threads() - 1) / Parallel.threads());
        int colBlocks = (b + cols - 1) / cols;
        Parallel.forRange(a * colBlocks, Host.grain((long) r * cols), (u0, u1) -> {
            for (int u = u0; u < u1; u++) {
                int i = u / colBlocks, c0 = (u % colBlocks) * cols, n = Math.min(cols, b - c0), yo = i * b + c0, xo = i * r * b + c0;
                System.arraycopy(x, xo, y, yo, n);
                for (int j = 1; j < r; j++) {
                    if (f32 && max) k.maxTo((float[]) y, yo, (float[]) x, xo + j * b, n);
                    else if (f32) k.addTo((float[]) y, yo, (float[]) x, xo + j * b, n);
                    else if (max) k.maxTo((double[]) y, yo, (double[]) x, xo + j * b, n);
                    else k.addTo((double[]) y, yo, (double[]) x, xo + j * b, n);
                }
            }
        });
        return y;
    }

    public int[] argmax(Tensor x, int axis) {
        Host.check("argmax", backend, x);
        int a = x.shape().axis(axis);
        int n = x.shape().dim(a), outer = x.shape().outer(a), inner = x.shape().inner(a);
        if (n == 0) throw new IllegalArgumentException("argmax: axis " + axis + " of " + x.shape() + " " + x.dtype() + " is empty");
        HostTensor h = Host.host(x);
        int[] idx = new int[outer * inner];
        Parallel.forRange(outer, Host.grain((long) n * inner), (o0, o1) -> {
            for (int o = o0; o < o1; o++) {
                for (int in = 0; in < inner; in++) {
                    int base = o * n * inner + in, best = 0;
                    // Strictly greater: ties keep the first index.
                    if (h.floats() != null) {
                        float[] v = h.floats();
                        for (int j = 1; j < n; j++) if (v[base + j * inner] > v[base + best * inner]) best = j;
                    } else {
                        double[] v = h.doubles();
                        for (int j = 1; j < n; j++) if (v[base + j * inner] > v[base + best * inner]) best = j;
                    }
                    idx[o * inner + in] = best;
                }
            }
        });
        return idx;
    }
}
