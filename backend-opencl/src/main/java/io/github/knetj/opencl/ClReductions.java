package io.github.knetj.opencl;

import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.Reductions;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import org.jocl.Pointer;
import org.jocl.cl_mem;

/**
 * Reductions on the device. Every reduction becomes the middle axis of an (outer, len, inner) view: directly when
 * the reduced axes are adjacent in memory (size-1 axes ignored); a kept block between two reduced blocks (the
 * bias gradient of a convolution) has a kernel of its own; anything else is permuted to put the reduced axes last.
 * One work-item reduces one line; a few very long rows are split in parts first so that many work-items share them.
 */
final class ClReductions extends ClOps implements Reductions {
    private static final String FILE = "reduce.cl";
    private static final int SUM = 0, MEAN = 1, MAX = 2, LSE = 3;
    /** Rows at least this long, when there are few of them, are reduced in parts. */
    private static final int SPLIT_LEN = 16384;

    ClReductions(OpenClBackend backend) { super(backend); }

    @Override public Tensor sum(Tensor x, int[] axes, boolean keepdims) { return reduce("sum", x, axes, keepdims, SUM); }

    public Tensor mean(Tensor x, int[] axes, boolean keepdims) { return reduce("mean", x, axes, keepdims, MEAN); }

    @Override public Tensor max(Tensor x, int[] axes, boolean keepdims) { return reduce("max", x, axes, keepdims, MAX); }

    public Tensor logsumexp(Tensor x, int[] axes, boolean keepdims) { return reduce("logsumexp", x, axes, keepdims, LSE); }

    public int[] argmax(Tensor x, int axis) {
        DType d = check("argmax", x);
        int a = x.shape().axis(axis);
        int len = x.shape().dim(a), outer = x.shape().outer(a), inner = x.shape().inner(a);
        if (len == 0) throw new IllegalArgumentException("argmax: axis " + axis + " of " + x.shape() + " is empty");
        int[] out = new int[outer * inner];
        if (out.length == 0) return out;
        BufferPool.Storage idx = temp(out.length, Integer.BYTES);
        cl.launch1(d, FILE, "argmax_axis", out.length, x, idx.mem, outer, len, inner);
        cl.read(idx.mem, Pointer.to(out), (long) out.length * Integer.BYTES);
        release(idx);
        return out;
    }

    private Tensor reduce(String op, Tensor x, int[] axes, boolean keepdims, int mode) {
        DType d = check(op, x);
        int[] ax = Checks.reduceAxes(op, x.shape(), axes);
        ClTensor y = alloc(Checks.reducedShape(x.shape(), ax, keepdims), d);
        int outputs = y.n();
        if (outputs == 0) return y;
        int len = x.shape().rank() == 0 ? 1 : (int) (x.size() / outputs);
        int[] view = adjacentView(x.shape(), ax);
        int[] sides = mode == LSE ? null : outerInnerView(x.shape(), ax);
        if (view != null) {
            run(d, t(x).mem(), y, view[0], len, view[1], mode);
        } else if (sides != null) {
            cl.launch1(d, FILE, "reduce_outer_inner", sides[1], x, y, sides[0], sides[1], sides[2], mode);
        } else {
            // Kept axes first, reduced axes last: then every output is one contiguous row.
            BufferPool.Storage moved = temp(x.size(), d.bytes());
            int[] perm = keptThenReduced(x.rank(), ax), xs = x.shape().strides();
            int[] dims = new int[perm.length], strides = new int[perm.length];
            for (int i = 0; i < perm.length; i++) { dims[i] = x.shape().dim(perm[i]); strides[i] = xs[perm[i]]; }
            backend.layoutKernels().gather(op, d, t(x).mem(), 0, moved.mem, dims, strides);
            run(d, moved.mem, y, outputs, len, 1, mode);
            release(moved);
        }
        return y;
    }

    private void run(DType d, cl_mem x, ClTensor y, int outer, int len, int inner, int mode) {
        if (inner == 1 && outer < 64 && len >= SPLIT_LEN && mode != LSE) {
            int splits = Math.min(256, len / 4096);
            int accBytes = cl.device.fp64() ? Double.BYTES : Float.BYTES;
            BufferPool.Storage parts = temp((long) outer * splits, accBytes);
            cl.launch1(d, FILE, "reduce_parts", (long) outer * splits, x, parts.mem, outer, len, splits, mode);
            cl.launch1(d, FILE, "reduce_finish", outer, parts.mem, y, outer, splits, len, mode);
            release(parts);
        } else {
            cl.launch1(d, FILE, "reduce_axis", (long) outer * inner, x, y, outer, len, inner, mode);
        }
    }

    /**
     * {outer, inner} when the reduced axes, ignoring size-1 axes, form one adjacent block in memory; else null.
     */
    private static int[] adjacentView(Shape s, int[] ax) {
        boolean[] reduced = new boolean[s.rank()];
        for (int a : ax) reduced[a] = true;
        int first = -1, last = -1;
        for (int a = 0; a < s.rank(); a++) {
            if (s.dim(a) == 1 || !reduced[a]) continue;
            if (first < 0) first = a;
            last = a;
        }
        if (first < 0) return new int[] {(int) s.size(), 1};   // only size-1 axes reduced: every output reads one element
        for (int a = first; a <= last; a++) if (!reduced[a] && s.dim(a) != 1) return null;
        return new int[] {s.outer(first), s.inner(last)};
    }

    /**
     * {a, b, c} when, ignoring size-1 axes, the reduced axes are a leading block and a trailing block around one
     * block of kept axes (sum over N, H, W of N, C, H, W); else null.
     */
    private static int[] outerInnerView(Shape s, int[] ax) {
        boolean[] reduced = new boolean[s.rank()];
        for (int a : ax) reduced[a] = true;
        long[] block = {1, 1, 1};
        int phase = 0;   // 0: leading reduced, 1: kept, 2: trailing reduced
        for (int a = 0; a < s.rank(); a++) {
            if (s.dim(a) == 1) continue;
            int want = reduced[a] ? (phase == 0 ? 0 : 2) : 1;
            if (want < phase) return null;
            phase = want;
            block[phase] *= s.dim(a);
        }
        return block[0] > 1 && block[1] > 1 && block[2] > 1 ? new int[] {(int) block[0], (int) block[1], (int) block[2]} : null;
    }

    private static int[] keptThenReduced(int rank, int[] ax) {
        boolean[] reduced = new boolean[rank];
        for (int a : ax) reduced[a] = true;
        int[] perm = new int[rank];
        int j = 0;
        for (int a = 0; a < rank; a++) if (!reduced[a]) perm[j++] = a;
        for (int a : ax) perm[j++] = a;
        return perm;
    }
}
