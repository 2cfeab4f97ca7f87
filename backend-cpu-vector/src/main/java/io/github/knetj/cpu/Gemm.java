package io.github.knetj.cpu;

/**
 * A general matrix product on row-major arrays: C += op(A)·op(B), where op(A) is (m, k), op(B) is (k, n) and C is
 * (m, n). Without a transpose A(i, p) = a[ao + i·lda + p]; with one, A(i, p) = a[ao + p·lda + i] (likewise B), so
 * transposes are read in place and never copied. Every element of C is summed over p in the same order whatever
 * {@code parallel} is and however many threads there are, so results do not depend on the thread count.
 */
interface Gemm {
    void gemm(boolean ta, boolean tb, int m, int n, int k, float[] a, int ao, int lda, float[] b, int bo, int ldb,
              float[] c, int co, int ldc, boolean parallel);

    void gemm(boolean ta, boolean tb, int m, int n, int k, double[] a, int ao, int lda, double[] b, int bo, int ldb,
              double[] c, int co, int ldc, boolean parallel);
}
