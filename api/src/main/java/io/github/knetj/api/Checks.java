package io.github.knetj.api;

import java.util.Arrays;

/**
 * Argument checks and shape rules shared by every backend, so that all of them accept the same inputs and fail
 * with the same message: the op, the shapes, the dtypes and what was expected.
 */
public final class Checks {
    private Checks() {}

    /** Every tensor lives on {@code backend} and has one dtype, which the backend supports; returns that dtype. */
    public static DType sameBackendAndDtype(String op, Backend backend, Tensor... xs) {
        DType d = xs[0].dtype();
        for (Tensor x : xs) {
            if (x.backend() != backend)
                throw new IllegalArgumentException(op + ": tensor " + x.shape() + " " + x.dtype() + " is on backend '" + x.backend().name()
                        + "', expected '" + backend.name() + "' (move it with tensor.to(backend))");
            if (x.dtype() != d)
                throw new IllegalArgumentException(op + ": mixed dtypes " + describe(xs) + ", expected one dtype (convert with tensor.to(DType))");
        }
        if (!backend.dtypes().contains(d))
            throw new UnsupportedOperationException(op + ": unsupported dtype " + d + " on " + backend.name() + " device " + backend.device());
        return d;
    }

    /** The arguments of {@link Fused#linear}: one backend and dtype, x (N, in), w (out, in) and b (out) or null. */
    public static void linear(Tensor x, Tensor w, Tensor b) {
        sameBackendAndDtype("linear", x.backend(), b == null ? new Tensor[] {x, w} : new Tensor[] {x, w, b});
        if (x.rank() != 2 || w.rank() != 2 || x.shape().dim(1) != w.shape().dim(1) || (b != null && !b.shape().equals(Shape.of(w.shape().dim(0)))))
            throw new IllegalArgumentException("linear: expected x (N, in), w (out, in) and b (out) or null, got x " + x.shape()
                    + ", w " + w.shape() + (b == null ? ", no b" : ", b " + b.shape()) + " " + x.dtype());
    }

    /** A convolution's bias: null, or (1, out, 1, 1) for weights (out, in, kh, kw), on x's backend with x's dtype. */
    public static void convBias(Tensor x, Tensor w, Tensor b) {
        if (b == null) return;
        sameBackendAndDtype("conv2d", x.backend(), x, w, b);
        if (w.rank() == 4 && !b.shape().equals(Shape.of(1, w.shape().dim(0), 1, 1)))
            throw new IllegalArgumentException("conv2d: expected the bias b of shape [1, " + w.shape().dim(0) + ", 1, 1] for w " + w.shape()
                    + ", got b " + b.shape() + " " + b.dtype() + " (x " + x.shape() + ")");
    }

    /** "[2, 3] float32, [3] float32" for messages. */
    public static String describe(Tensor... xs) {
        StringBuilder sb = new StringBuilder();
        for (Tensor x : xs) sb.append(sb.isEmpty() ? "" : ", ").append(x.shape()).append(' ').append(x.dtype());
        return sb.toString();
    }

    /** NumPy broadcasting of two shapes, or an error naming the op and both shapes. */
    public static Shape broadcast(String op, Shape a, Shape b) {
        int r = Math.max(a.rank(), b.rank());
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.rank() ? 1 : a.dim(i - (r - a.rank()));
            int db = i < r - b.rank() ? 1 : b.dim(i - (r - b.rank()));
            if (da != db && da != 1 && db != 1)
                throw new IllegalArgumentException(op + ": shapes " + a + " and " + b + " do not broadcast (axis " + i + ": " + da + " vs " + db + ")");
            out[i] = da == 1 ? db : da;
        }
        return Shape.of(out);
    }

    /** Normalised, sorted, distinct axes of a reduction; null or empty means all axes. */
    public static int[] reduceAxes(String op, Shape x, int[] axes) {
        if (axes == null || axes.length == 0) {
            int[] all = new int[x.rank()];
            for (int i = 0; i < all.length; i++) all[i] = i;
            return all;
        }
        int[] n = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            int a = axes[i] < 0 ? axes[i] + x.rank() : axes[i];
            if (a < 0 || a >= x.rank()) throw new IllegalArgumentException(op + ": axis " + axes[i] + " is out of range for shape " + x);
            n[i] = a;
        }
        Arrays.sort(n);
        for (int i = 1; i < n.length; i++) if (n[i] == n[i - 1]) throw new IllegalArgumentException(op + ": axis " + n[i] + " repeated in " + Arrays.toString(axes));
        return n;
    }

    /** The shape after reducing {@code axes} (normalised) of x. */
    public static Shape reducedShape(Shape x, int[] axes, boolean keepdims) {
        int[] d = x.dims();
        boolean[] red = new boolean[d.length];
        for (int a : axes) red[a] = true;
        int[] out = new int[keepdims ? d.length : d.length - axes.length];
        for (int i = 0, j = 0; i < d.length; i++) {
            if (!red[i]) out[j++] = d[i];
            else if (keepdims) out[j++] = 1;
        }
        return Shape.of(out);
    }

    /** Output shape of matmul with transpose flags, per the contract of {@link Linalg#matmul}, or a clear error. */
    public static Shape matmul(Shape a, Shape b, boolean transA, boolean transB) {
        if (a.rank() < 2 || a.rank() > 3 || b.rank() < 2 || b.rank() > 3 || (a.rank() == 2 && b.rank() == 3))
            throw new IllegalArgumentException("matmul: expected 2-D·2-D, 3-D·3-D or 3-D·2-D operands, got " + a + " and " + b);
        int m = transA ? a.dim(-1) : a.dim(-2), ka = transA ? a.dim(-2) : a.dim(-1);
        int kb = transB ? b.dim(-1) : b.dim(-2), n = transB ? b.dim(-2) : b.dim(-1);
        if (ka != kb)
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + a + (transA ? "ᵀ" : "") + " · " + b + (transB ? "ᵀ" : "") + " (" + ka + " vs " + kb + ")");
        if (a.rank() == 3 && b.rank() == 3 && a.dim(0) != b.dim(0))
            throw new IllegalArgumentException("matmul: batch sizes differ: " + a + " and " + b);
        return a.rank() == 3 ? Shape.of(a.dim(0), m, n) : Shape.of(m, n);
    }

    /** Validates a permutation of the axes of x. */
    public static Shape permute(Shape x, int[] perm) {
        if (perm.length != x.rank()) throw new IllegalArgumentException("permute: " + Arrays.toString(perm) + " is not a permutation of the " + x.rank() + " axes of " + x);
        boolean[] seen = new boolean[perm.length];
        int[] out = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] < 0 || perm[i] >= perm.length || seen[perm[i]])
                throw new IllegalArgumentException("permute: " + Arrays.toString(perm) + " is not a permutation of the axes of " + x);
            seen[perm[i]] = true;
            out[i] = x.dim(perm[i]);
        }
        return Shape.of(out);
    }

    /**
     * The shape x takes for {@code reshape(x, dims...)}, where at most one dimension is -1 (inferred from the others),
     * or an error naming the op, both shapes and what was expected.
     */
    public static Shape reshapeDims(Shape x, int[] dims) {
        int infer = -1;
        long known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: cannot reshape " + x + " to " + Arrays.toString(dims) + ": at most one dimension may be -1");
                infer = i;
            } else if (dims[i] < 0) {
                throw new IllegalArgumentException("reshape: cannot reshape " + x + " to " + Arrays.toString(dims) + ": dimensions must be >= 0, or -1 for one inferred");
            } else {
                known *= dims[i];
            }
        }
        if (infer < 0) return Shape.of(dims);
        if (known == 0 || x.size() % known != 0)
            throw new IllegalArgumentException("reshape: cannot reshape " + x + " (" + x.size() + " elements) to " + Arrays.toString(dims)
                    + ": the other dimensions' product " + known + " does not divide it");
        int[] d = dims.clone();
        d[infer] = (int) (x.size() / known);
        return Shape.of(d);
    }

    /** An axis of x normalised (negative counts from the end), or an error naming the op. */
    public static int axis(String op, Shape x, int axis) {
        int a = axis < 0 ? axis + x.rank() : axis;
        if (a < 0 || a >= x.rank()) throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for shape " + x + " of rank " + x.rank());
        return a;
    }

    /** Validates a reshape (sizes must match). */
    public static void reshape(Shape x, Shape to) {
        if (x.size() != to.size()) throw new IllegalArgumentException("reshape: cannot reshape " + x + " (" + x.size() + " elements) to " + to + " (" + to.size() + " elements)");
    }

    /** Validates broadcastTo. */
    public static void broadcastTo(Shape x, Shape to) {
        if (!broadcast("broadcastTo", x, to).equals(to)) throw new IllegalArgumentException("broadcastTo: shape " + x + " does not broadcast to " + to);
    }

    /** The shape of a concat along axis, or a clear error. */
    public static Shape concat(int axis, Shape... xs) {
        if (xs.length == 0) throw new IllegalArgumentException("concat: no tensors given");
        int a = xs[0].axis(axis);
        int total = 0;
        for (Shape s : xs) {
            if (s.rank() != xs[0].rank()) throw new IllegalArgumentException("concat: ranks differ: " + Arrays.toString(xs));
            for (int i = 0; i < s.rank(); i++)
                if (i != a && s.dim(i) != xs[0].dim(i)) throw new IllegalArgumentException("concat along axis " + axis + ": shapes " + Arrays.toString(xs) + " differ on axis " + i);
            total += s.dim(a);
        }
        return xs[0].with(a, total);
    }

    /** The shape of a slice, or a clear error. */
    public static Shape slice(Shape x, int axis, int start, int end) {
        int a = x.axis(axis);
        if (start < 0 || end > x.dim(a) || start > end)
            throw new IllegalArgumentException("slice: [" + start + ", " + end + ") is outside axis " + axis + " of " + x);
        return x.with(a, end - start);
    }

    /** The shape after padding, or a clear error. */
    public static Shape pad(Shape x, int[] before, int[] after) {
        if (before.length != x.rank() || after.length != x.rank())
            throw new IllegalArgumentException("pad: need one before/after count per axis of " + x + ", got " + Arrays.toString(before) + " and " + Arrays.toString(after));
        int[] d = x.dims();
        for (int i = 0; i < d.length; i++) {
            if (before[i] < 0 || after[i] < 0) throw new IllegalArgumentException("pad: negative padding " + Arrays.toString(before) + " / " + Arrays.toString(after));
            d[i] += before[i] + after[i];
        }
        return Shape.of(d);
    }

    /** Indices in [0, bound), or an error naming the op. */
    public static void indices(String op, int[] idx, int bound) {
        for (int i : idx) if (i < 0 || i >= bound) throw new IndexOutOfBoundsException(op + ": index " + i + " is outside [0, " + bound + ")");
    }

    /**
     * The arguments of {@link Fused#selfAttention}: qkv (B, T, 3E) with E a multiple of {@code heads} ≥ 1, and an additive
     * mask that broadcasts to the scores (B, heads, T, T), or null, of qkv's backend and dtype. Returns {B, T, E}.
     */
    public static int[] selfAttention(String op, Tensor qkv, int heads, Tensor mask) {
        sameBackendAndDtype(op, qkv.backend(), mask == null ? new Tensor[] {qkv} : new Tensor[] {qkv, mask});
        Shape s = qkv.shape();
        if (heads < 1 || s.rank() != 3 || s.dim(2) == 0 || s.dim(2) % (3 * heads) != 0)
            throw new IllegalArgumentException(op + ": expected qkv (B, T, 3E) with E a multiple of " + heads + " heads, got " + s + " " + qkv.dtype());
        int b = s.dim(0), t = s.dim(1), e = s.dim(2) / 3;
        if (mask != null) {
            Shape m = mask.shape(), scores = Shape.of(b, heads, t, t);
            boolean fits = m.rank() <= 4;
            for (int i = 1; fits && i <= m.rank(); i++) fits = m.dim(-i) == 1 || m.dim(-i) == scores.dim(-i);
            if (!fits) throw new IllegalArgumentException(op + ": the mask " + m + " " + mask.dtype() + " does not broadcast to the scores (B, heads, T, T) = " + scores);
        }
        return new int[] {b, t, e};
    }

    /** selfAttentionBackward's dy (B, T, E) and weights P (B·heads, T, T), of one backend and dtype with qkv. */
    public static void selfAttentionGradients(Tensor qkv, Tensor dy, Tensor p, int b, int t, int e, int heads) {
        sameBackendAndDtype("selfAttentionBackward", qkv.backend(), qkv, dy, p);
        if (!dy.shape().equals(Shape.of(b, t, e)) || !p.shape().equals(Shape.of(b * heads, t, t)))
            throw new IllegalArgumentException("selfAttentionBackward: for qkv " + qkv.shape() + " and " + heads + " heads expected dy (" + b + ", " + t + ", " + e
                    + ") and P (" + b * heads + ", " + t + ", " + t + "), got dy " + dy.shape() + ", P " + p.shape());
    }

    /** Requires rank 2 for pickClasses etc. */
    public static void rank(String op, Tensor x, int rank, String expected) {
        if (x.rank() != rank) throw new IllegalArgumentException(op + ": expected " + expected + ", got " + x.shape() + " " + x.dtype());
    }
}
