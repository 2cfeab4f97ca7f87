package io.github.knetj.cuda;

import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.NN;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import jcuda.driver.CUdeviceptr;

/**
 * Softmax along any axis of an (outer, n, inner) view, and the index ops of embeddings and class labels. Indices
 * arrive on the host, so scatterAddRows groups them by target row there (a counting sort) and the kernel sums each
 * row's sources in ascending order: deterministic, with no atomics.
 */
final class CudaNN implements NN {
    private final CudaBackend backend;

    CudaNN(CudaBackend backend) { this.backend = backend; }

    public Tensor softmax(Tensor x, int axis) { return softmax("softmax", x, axis, false); }

    public Tensor logSoftmax(Tensor x, int axis) { return softmax("logSoftmax", x, axis, true); }

    private Tensor softmax(String op, Tensor x, int axis, boolean log) {
        DType d = backend.check(op, x);
        Shape s = x.shape();
        int a = s.axis(axis), n = s.dim(a), inner = 1;
        for (int i = a + 1; i < s.rank(); i++) inner *= s.dim(i);
        int outer = n * inner == 0 ? 0 : (int) (s.size() / ((long) n * inner));
        CudaTensor y = backend.empty(s, d);
        backend.cuda().launch(Kernel.SOFTMAX, d, (long) outer * inner, log ? 1 : 0, outer, n, inner, CudaBackend.dev(x).ptr(), y.ptr());
        return y;
    }

    @Override public Tensor gatherRows(Tensor table, int[] indices) {
        DType d = backend.check("gatherRows", table);
        Checks.rank("gatherRows", table, 2, "table (V, D)");
        Checks.indices("gatherRows", indices, table.shape().dim(0));
        int width = table.shape().dim(1);
        CudaTensor y = backend.empty(Shape.of(indices.length, width), d);
        withInts(indices, idx -> backend.cuda().launch(Kernel.GATHER_ROWS, d, y.n(), indices.length, width, idx, CudaBackend.dev(table).ptr(), y.ptr()));
        return y;
    }

    @Override public Tensor scatterAddRows(Tensor src, int[] indices, int rows) {
        DType d = backend.check("scatterAddRows", src);
        Checks.rank("scatterAddRows", src, 2, "src (n, D) with n = indices.length = " + indices.length);
        if (src.shape().dim(0) != indices.length)
            throw new IllegalArgumentException("scatterAddRows: src " + src.shape() + " " + d + " has " + src.shape().dim(0) + " rows but " + indices.length + " indices");
        Checks.indices("scatterAddRows", indices, rows);
        int width = src.shape().dim(1);
        // start[r]..start[r+1]: the positions in `order` of the sources of row r, ascending.
        int[] start = new int[rows + 1];
        for (int i : indices) start[i + 1]++;
        for (int r = 0; r < rows; r++) start[r + 1] += start[r];
        int[] order = new int[indices.length], next = java.util.Arrays.copyOf(start, rows);
        for (int i = 0; i < indices.length; i++) order[next[indices[i]]++] = i;
        CudaTensor y = backend.empty(Shape.of(rows, width), d);
        withInts(start, st -> withInts(order, ord ->
                backend.cuda().launch(Kernel.SCATTER_ADD_ROWS, d, y.n(), rows, width, st, ord, CudaBackend.dev(src).ptr(), y.ptr())));
        return y;
    }

    public Tensor pickClasses(Tensor x, int[] labels) {
        DType d = backend.check("pickClasses", x);
        Checks.rank("pickClasses", x, 2, "x (N, C)");
        int n = x.shape().dim(0), classes = x.shape().dim(1);
        if (labels.length != n) throw new IllegalArgumentException("pickClasses: x " + x.shape() + " " + d + " has " + n + " rows but " + labels.length + " labels");
        Checks.indices("pickClasses", labels, classes);
        CudaTensor y = backend.empty(Shape.of(n), d);
        withInts(labels, lab -> backend.cuda().launch(Kernel.PICK_CLASSES, d, n, n, classes, lab, CudaBackend.dev(x).ptr(), y.ptr()));
        return y;
    }

    public Tensor placeClasses(Tensor g, int[] labels, int classes) {
        DType d = backend.check("placeClasses", g);
        Checks.rank("placeClasses", g, 1, "g (N)");
        int n = g.shape().dim(0);
        if (labels.length != n) throw new IllegalArgumentException("placeClasses: g " + g.shape() + " " + d + " has " + n + " elements but " + labels.length + " labels");
        Checks.indices("placeClasses", labels, classes);
        CudaTensor y = backend.empty(Shape.of(n, classes), d);
        withInts(labels, lab -> backend.cuda().launch(Kernel.PLACE_CLASSES, d, y.n(), n, classes, lab, CudaBackend.dev(g).ptr(), y.ptr()));
        return y;
    }

    /** Uploads ints, runs {@code use} (which queues kernels reading them), and returns the block to the allocator. */
    private void withInts(int[] values, java.util.function.Consumer<CUdeviceptr> use) {
        var block = backend.uploadInts(values);
        try {
            use.accept(block.ptr() == null ? new CUdeviceptr() : block.ptr());   // NULL for no values: no kernel reads it
        } finally {
            backend.allocator().release(block);
        }
    }
}
