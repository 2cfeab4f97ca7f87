package io.github.knetj.opencl;

import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.NN;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import org.jocl.cl_mem;

/**
 * Softmax and log-softmax along an axis (one work-item per line, max subtracted first), and the gathers and
 * scatters of embeddings and labels. Index lists are copied into a buffer when it is made (no wait on the queue); scatter-add groups its rows on the host
 * (a counting sort) so that each output row is summed by one work-item, deterministically and without atomics.
 */
final class ClNN extends ClOps implements NN {
    private static final String FILE = "nn.cl";

    ClNN(OpenClBackend backend) { super(backend); }

    public Tensor softmax(Tensor x, int axis) { return softmax("softmax", x, axis, false); }

    public Tensor logSoftmax(Tensor x, int axis) { return softmax("logSoftmax", x, axis, true); }

    private Tensor softmax(String op, Tensor x, int axis, boolean log) {
        DType d = check(op, x);
        Shape s = x.shape();
        int a = s.axis(axis), outer = s.outer(a), inner = s.inner(a);
        ClTensor y = alloc(s, d);
        cl.launch1(d, FILE, "softmax_axis", (long) outer * inner, x, y, outer, s.dim(a), inner, log ? 1 : 0);
        return y;
    }

    @Override public Tensor gatherRows(Tensor table, int[] indices) {
        DType d = check("gatherRows", table);
        Checks.rank("gatherRows", table, 2, "table (V, D)");
        int rows = table.shape().dim(0), width = table.shape().dim(1);
        Checks.indices("gatherRows", indices, rows);
        ClTensor y = alloc(Shape.of(indices.length, width), d);
        if (y.n() == 0) return y;
        cl_mem idx = cl.ints(indices);
        cl.launch1(d, FILE, "gather_rows", y.n(), table, idx, y, indices.length, width);
        cl.free(idx);
        return y;
    }

    @Override public Tensor scatterAddRows(Tensor src, int[] indices, int rows) {
        DType d = check("scatterAddRows", src);
        Checks.rank("scatterAddRows", src, 2, "src (n, D) with n = indices.length = " + indices.length);
        if (src.shape().dim(0) != indices.length)
            throw new IllegalArgumentException("scatterAddRows: src " + src.shape() + " " + d + " has " + src.shape().dim(0) + " rows but " + indices.length + " indices");
        Checks.indices("scatterAddRows", indices, rows);
        int width = src.shape().dim(1);
        ClTensor y = alloc(Shape.of(rows, width), d);
        if (y.n() == 0) return y;
        // start[r]..start[r+1] lists, in increasing order, the src rows that add into output row r.
        int[] start = new int[rows + 1], order = new int[indices.length], fill = new int[rows];
        for (int i : indices) start[i + 1]++;
        for (int r = 0; r < rows; r++) start[r + 1] += start[r];
        for (int i = 0; i < indices.length; i++) order[start[indices[i]] + fill[indices[i]]++] = i;
        cl_mem starts = cl.ints(start), orders = cl.ints(order);
        cl.launch1(d, FILE, "scatter_add_rows", y.n(), src, starts, orders, y, rows, width);
        cl.free(starts);
        cl.free(orders);
        return y;
    }

    public Tensor pickClasses(Tensor x, int[] labels) {
        DType d = check("pickClasses", x);
        Checks.rank("pickClasses", x, 2, "x (N, C)");
        int n = x.shape().dim(0), classes = x.shape().dim(1);
        if (labels.length != n) throw new IllegalArgumentException("pickClasses: x " + x.shape() + " " + d + " has " + n + " rows but " + labels.length + " labels");
        Checks.indices("pickClasses", labels, classes);
        ClTensor y = alloc(Shape.of(n), d);
        if (n == 0) return y;
        cl_mem lab = cl.ints(labels);
        cl.launch1(d, FILE, "pick_classes", n, x, lab, y, n, classes);
        cl.free(lab);
        return y;
    }

    public Tensor placeClasses(Tensor g, int[] labels, int classes) {
        DType d = check("placeClasses", g);
        Checks.rank("placeClasses", g, 1, "g (N)");
        int n = g.shape().dim(0);
        if (labels.length != n) throw new IllegalArgumentException("placeClasses: g " + g.shape() + " " + d + " has " + n + " elements but " + labels.length + " labels");
        Checks.indices("placeClasses", labels, classes);
        ClTensor y = alloc(Shape.of(n, classes), d);
        if (y.n() == 0) return y;
        cl_mem lab = cl.ints(labels);
        cl.launch1(d, FILE, "place_classes", y.n(), g, lab, y, n, classes);
        cl.free(lab);
        return y;
    }
}
