package io.github.knetj.cpu;

/**
 * A general matrix product on row-major arrays: C += op(A)·op(B), where op(A) is (m, k), op(B) is (k, n) and C is
 * (m, n). Without a transpose A(i, p) = a[ao + i·lda + p]; with one, A(i, p) = a[ao + p·lda + i] (likewise B), so
 * transposes are read in place and never copied. Every element of C is summed over p in the same order whatever
 * {@code parallel} is and however many threads there are, so results do not depend on the thread count.
 */
public interface Gemm {
    void gemm(boolean ta, boolean tb, int m, int n, int k, float[] a, int ao, int lda, float[] b, int bo, int ldb,
              float[] c, int co, int ldc, boolean parallel);

    void gemm(boolean ta, boolean tb, int m, int n, int k, double[] a, int ao, int lda, double[] b, int bo, int ldb,
              double[] c, int co, int ldc, boolean parallel);

    /**
     * C = op(A)·op(B), overwriting C's (m, n) block, which needs no clearing first. The default clears it, then adds;
     * a product that stores its first partial sums saves that pass over C (3% of a GPT step).
     */
    default void gemmInto(boolean ta, boolean tb, int m, int n, int k, float[] a, int ao, int lda, float[] b, int bo, int ldb,
                          float[] c, int co, int ldc, boolean parallel) {
        for (int i = 0; i < m; i++) java.util.Arrays.fill(c, co + i * ldc, co + i * ldc + n, 0f);
        gemm(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, parallel);
    }

    /**
     * C = op(A)·op(B) + bias on every row (bias has n elements), overwriting C: a linear layer. The sum of each element
     * is rounded to float before the bias is added, as a product followed by an add rounds it. The default adds the
     * bias in a pass of its own.
     */
    default void gemmInto(boolean ta, boolean tb, int m, int n, int k, float[] a, int ao, int lda, float[] b, int bo, int ldb,
                          float[] c, int co, int ldc, float[] bias, boolean parallel) {
        gemmInto(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, parallel);
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) c[co + i * ldc + j] += bias[j];
    }

    default void gemmInto(boolean ta, boolean tb, int m, int n, int k, double[] a, int ao, int lda, double[] b, int bo, int ldb,
                          double[] c, int co, int ldc, boolean parallel) {
        for (int i = 0; i < m; i++) java.util.Arrays.fill(c, co + i * ldc, co + i * ldc + n, 0.0);
        gemm(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, parallel);
    }

    /** Float32 products with the column matrix of an image (see {@link Im2col}) that never store that matrix. */
    interface ColumnProducts {
        /** C = A·cols(x[xo ..]), overwritten (C needs no clearing first): A is (m, rows), C is (m, output cells). */
        void times(int m, float[] a, int ao, int lda, float[] x, int xo, float[] c, int co, int ldc, boolean parallel);

        /**
         * C += Σₙ cols(x[xo + n·xStride ..])·Aₙᵀ over {@code images} images: Aₙ is (m, output cells) at a[ao + n·aStride ..],
         * C is (rows, m). The weight gradient, transposed: dWᵀ rather than A·colsᵀ, so that the large column matrix is
         * packed as row runs and only the small A needs a transposed packing.
         */
        void columnsTimesTransposed(int m, float[] a, int ao, int aStride, float[] x, int xo, int xStride, int images, float[] c, int co, int ldc,
                                    boolean parallel);

        /**
         * cols = Wᵀ·dy: W is (m, rows) at w[wo ..] with row stride ldw, dy is (m, output cells) at dy[dyo ..], and cols,
         * (rows, output cells), is overwritten with the column matrix of the input gradient (it needs no zeroing).
         */
        void transposedTimes(int m, float[] w, int wo, int ldw, float[] dy, int dyo, float[] cols, boolean parallel);

        /** The adjoint of unfolding, as {@link Im2col#col2im} for channels [c0, c1), with the same additions in the same order. */
        void fold(float[] cols, float[] dx, int xo, int c0, int c1);
    }

    /** The column products for convolutions of geometry g, or null when this kernel has none and callers unfold first. */
    default ColumnProducts columns(Im2col.Geometry g) { return null; }
}
