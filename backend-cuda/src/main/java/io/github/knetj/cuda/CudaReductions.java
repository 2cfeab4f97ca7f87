package io.github.knetj.cuda;

import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.Reductions;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;

/**
 * Reductions as a (rows, cols) row reduction: the kept axes become the rows and the reduced axes the columns.
 * When the reduced axes are already the trailing ones the input is used as it is; otherwise a gather permutes them
 * to the end first. The kernel reduces each row in a fixed tree order, so results are deterministic.
 */
final class CudaReductions implements Reductions {
    // The ReduceKind enum of reduce.cu.
    private static final int SUM = 0, MAX = 1, LOGSUMEXP = 2;
    private static final int MAX_ROW_BLOCKS = 1 << 16;

    private final CudaBackend backend;

    CudaReductions(CudaBackend backend) { this.backend = backend; }

    @Override public Tensor sum(Tensor x, int[] axes, boolean keepdims) { return reduce("sum", x, axes, keepdims, SUM, false); }

    public Tensor mean(Tensor x, int[] axes, boolean keepdims) { return reduce("mean", x, axes, keepdims, SUM, true); }

    @Override public Tensor max(Tensor x, int[] axes, boolean keepdims) { return reduce("max", x, axes, keepdims, MAX, false); }

    public Tensor logsumexp(Tensor x, int[] axes, boolean keepdims) {
        return reduce("logsumexp", x, axes, keepdims, LOGSUMEXP, false);
    }

    private Tensor reduce(String op, Tensor x, int[] axes, boolean keepdims, int kind, boolean mean) {
        DType d = backend.check(op, x);
        int[] ax = Checks.reduceAxes(op, x.shape(), axes);
        Shape out = Checks.reducedShape(x.shape(), ax, keepdims);
        long cols = 1;
        for (int a : ax) cols *= x.shape().dim(a);
        long rows = out.size();
        CudaTensor y = backend.empty(out, d);
        if (rows == 0) return y;
        CudaTensor src = reducedLast(op, x, ax);
        double scale = mean ? 1.0 / cols : 1.0;
        backend.cuda().launchGrid(Kernel.REDUCE_ROWS, d, (int) Math.min(rows, MAX_ROW_BLOCKS), 1, 1, CudaContext.THREADS,
                kind, (int) rows, (int) cols, scale, src.ptr(), y.ptr());
        if (src != x) src.close();
        return y;
    }

    /** x itself when the reduced axes are its last ones, else a copy with them moved to the end (kept axes in order). */
    private CudaTensor reducedLast(String op, Tensor x, int[] ax) {
        int rank = x.rank();
        boolean trailing = true;
        for (int i = 0; i < ax.length; i++) trailing &= ax[i] == rank - ax.length + i;
        if (trailing) return CudaBackend.dev(x);
        int[] perm = new int[rank];
        boolean[] reduced = new boolean[rank];
        for (int a : ax) reduced[a] = true;
        int j = 0;
        for (int a = 0; a < rank; a++) if (!reduced[a]) perm[j++] = a;
        for (int a : ax) perm[j++] = a;
        return ((CudaLayout) backend.layout()).gather(op, x, Checks.permute(x.shape(), perm), Strided.permutedStrides(x.shape(), perm), 0);
    }

    public int[] argmax(Tensor x, int axis) {
        DType d = backend.check("argmax", x);
        int a = x.shape().axis(axis);
        int n = x.shape().dim(a);
        if (n == 0) throw new IllegalArgumentException("argmax: axis " + axis + " of " + x.shape() + " " + d + " is empty");
        int rows = (int) (x.size() / n);
        CudaTensor src = reducedLast("argmax", x, new int[] {a});
        var out = backend.allocator().allocate(rows * 4L);
        try {
            backend.cuda().launch(Kernel.ARGMAX_ROWS, d, rows, rows, n, src.ptr(), out.ptr());
            return rows == 0 ? new int[0] : backend.staging().downloadInts(out.ptr(), rows);
        } finally {
            backend.allocator().release(out);
            if (src != x) src.close();
        }
    }
}
