package io.github.knetj.tck.reference;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.Linalg;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;

/** The reference matrix product: the textbook triple loop with a double accumulator, batched and with transposes. */
final class ReferenceLinalg implements Linalg {
    private final Backend backend;

    ReferenceLinalg(Backend backend) { this.backend = backend; }

    @Override public Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        DType d = ReferenceHost.check("matmul", backend, a, b);
        Shape out = Checks.matmul(a.shape(), b.shape(), transA, transB);
        int batches = out.rank() == 3 ? out.dim(0) : 1;
        int m = out.dim(-2), n = out.dim(-1);
        int k = transA ? a.shape().dim(-2) : a.shape().dim(-1);
        // Row and column strides of op(a) and op(b) inside one matrix: a transpose swaps them.
        int aRows = a.shape().dim(-2), aCols = a.shape().dim(-1), bRows = b.shape().dim(-2), bCols = b.shape().dim(-1);
        int aI = transA ? 1 : aCols, aK = transA ? aCols : 1;
        int bK = transB ? 1 : bCols, bJ = transB ? bCols : 1;
        int aBatch = a.rank() == 3 ? aRows * aCols : 0;
        int bBatch = b.rank() == 3 ? bRows * bCols : 0;   // a 2-D b is shared by every batch
        double[] va = ReferenceHost.values(a), vb = ReferenceHost.values(b);
        double[] y = new double[out.sizeInt()];
        for (int s = 0; s < batches; s++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int p = 0; p < k; p++) acc += va[s * aBatch + i * aI + p * aK] * vb[s * bBatch + p * bK + j * bJ];
                    y[(s * m + i) * n + j] = acc;
                }
            }
        }
        return ReferenceHost.result(backend, out, d, y);
    }
}
