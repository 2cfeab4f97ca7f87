package io.github.knetj.cpu.fast;

import io.github.knetj.api.Conv2d;
import io.github.knetj.cpu.Gemm;
import io.github.knetj.cpu.Im2col;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packs the panels of an image's column matrix (see {@link Im2col}) for {@link PackedSgemm} straight from the image,
 * so the columns are never stored: im2col fused into packing. Element (r, q) of the column matrix, for kernel row
 * r = (c, i, j) and output cell q = (oh, ow), is x[xo + rowBase[r] + colBase[q]] when its input cell is inside the
 * image and 0 in the padding; both tables are built once per convolution. Without padding every cell is inside, and
 * when whole vectors of output cells share one output row (Wo a multiple of the vector length, stride 1) a panel row
 * is NR / 8 vector loads. This replaces writing the columns and reading them back, which took about half of LeNet's
 * convolution time.
 */
final class ColumnPanels implements Gemm.ColumnProducts {
    private static final VectorSpecies<Float> V = PackedSgemm.ROWS;
    private static final int L = V.length(), NR = PackedSgemm.NR, MR = PackedSgemm.MR;
    private final int[] rowBase, rowH, rowW, colBase, colH, colW;
    private final Im2col.Geometry geometry;
    private final int height, width;
    private final boolean dense, runs;
    private PackedSgemm.PackedA weights, weightsT;

    ColumnPanels(Im2col.Geometry g) {
        Conv2d s = g.s();
        int rows = g.rows(), cols = g.cols(), kk = g.kh() * g.kw();
        geometry = g;
        height = g.height();
        width = g.width();
        rowBase = new int[rows];
        rowH = new int[rows];
        rowW = new int[rows];
        for (int r = 0; r < rows; r++) {
            int c = r / kk, i = r / g.kw() % g.kh(), j = r % g.kw();
            rowH[r] = i * s.dilationH() - s.padH();
            rowW[r] = j * s.dilationW() - s.padW();
            rowBase[r] = c * height * width + rowH[r] * width + rowW[r];
        }
        colBase = new int[cols];
        colH = new int[cols];
        colW = new int[cols];
        for (int q = 0; q < cols; q++) {
            colH[q] = q / g.outW() * s.strideH();
            colW[q] = q % g.outW() * s.strideW();
            colBase[q] = colH[q] * width + colW[q];
        }
        dense = s.padH() == 0 && s.padW() == 0;
        runs = dense && s.strideW() == 1 && g.outW() % L == 0;
    }

    /**
     * Whether packing from the image beats unfolding first: only without padding. With padding every element needs
     * its bounds test, and the 3×3 padded ResNet layer ran 1.4–2× slower fused than unfolded.
     */
    static boolean pays(Im2col.Geometry g) { return g.s().padH() == 0 && g.s().padW() == 0; }

    /** Whether column matrix element (r, q) reads the image (true) or the padding. */
    private boolean inside(int r, int q) {
        int h = rowH[r] + colH[q], w = rowW[r] + colW[q];
        return h >= 0 && h < height && w >= 0 && w < width;
    }

    @Override public void times(int m, float[] a, int ao, int lda, float[] x, int xo, float[] c, int co, int ldc, boolean parallel) {
        PackedSgemm.gemmInto(packed(false, m, rowBase.length, a, ao, lda), colBase.length, columns(x, xo), c, co, ldc, parallel);
    }

    @Override public void transposedTimes(int m, float[] w, int wo, int ldw, float[] dy, int dyo, float[] cols, boolean parallel) {
        int p = colBase.length;
        PackedSgemm.gemmInto(packed(true, rowBase.length, m, w, wo, ldw), p,
                (pc, kc, j, n, dst, off) -> PanelPacking.packB(false, dy, dyo, p, pc, kc, j, n, dst, off), cols, 0, p, parallel);
    }

    /**
     * The weights packed on first use and kept for the other images of the same convolution (this object lives for
     * one forward or backward call); {@code ta} selects Wᵀ, which backward-input multiplies by.
     */
    private synchronized PackedSgemm.PackedA packed(boolean ta, int m, int k, float[] a, int ao, int lda) {
        PackedSgemm.PackedA w = ta ? weightsT : weights;
        if (w == null || !w.packs(ta, m, k, a, ao, lda)) {
            w = PackedSgemm.pack(ta, m, k, a, ao, lda);
            if (ta) weightsT = w;
            else weights = w;
        }
        return w;
    }

    /**
     * One product whose inner dimension runs over every output cell of every image, step q = (image, cell), rather than
     * a product per image: with few cells per image (LeNet's conv2 has 64) each product's C tiles were loaded and stored
     * every 64 steps and its panels packed in short pieces. (Measured alone this gained little, 1.86 → 1.82 ms for
     * conv2; the sliding-window packing below, 1.82 → 1.34 ms.) Images whose output rows the product reads in place
     * stay one product each.
     */
    @Override public void columnsTimesTransposed(int m, float[] a, int ao, int aStride, float[] x, int xo, int xStride, int images, float[] c, int co,
                                                 int ldc, boolean parallel) {
        int p = colBase.length;
        if (images == 1 || inPlace()) {
            for (int n = 0; n < images; n++) {
                int an = ao + n * aStride;
                PackedSgemm.gemm(rows(x, xo + n * xStride), rowBase.length, m, p,
                        (pc, kc, j, cols, dst, off) -> PanelPacking.packB(true, a, an, p, pc, kc, j, cols, dst, off), c, co, ldc, parallel);
            }
            return;
        }
        int[] cells = new int[images * p];
        for (int n = 0; n < images; n++) for (int q = 0; q < p; q++) cells[n * p + q] = n * xStride + colBase[q];
        PackedSgemm.gemm(packedRows(x, xo, cells), rowBase.length, m, images * p, (pc, kc, j, cols, dst, off) -> {
            // Aᵀ's steps [pc, pc + kc) cut at image boundaries, each run packed as the one-image product packs it.
            for (int q = pc; q < pc + kc; ) {
                int n = q / p, end = Math.min(pc + kc, (n + 1) * p);
                PanelPacking.packB(true, a, ao + n * aStride, p, q - n * p, end - q, j, cols, dst, off + (q - pc) * NR);
                q = end;
            }
        }, c, co, ldc, parallel);
    }

    @Override public void fold(float[] cols, float[] dx, int xo, int c0, int c1) {
        if (!runs) {
            Im2col.col2im(geometry, cols, dx, xo, c0, c1);
            return;
        }
        // Without padding at stride 1, each output row of each kernel row adds Wo contiguous floats into one image
        // row: whole vectors instead of the scalar loop (col2im was 11% of a LeNet step).
        int kk = rowBase.length / geometry.channels(), p = colBase.length;
        for (int r = c0 * kk; r < c1 * kk; r++) {
            int dst = xo + rowBase[r];
            for (int q = 0; q < p; q += L) {
                int at = dst + colBase[q];
                FloatVector.fromArray(V, dx, at).add(FloatVector.fromArray(V, cols, r * p + q)).intoArray(dx, at);
            }
        }
    }

    /** The panel source of B = the column matrix of the image at x[xo ..] (k = rows, n = output cells). */
    private PackedSgemm.PanelSource columns(float[] x, int xo) {
        return (pc, kc, j, cols, dst, off) -> {
            boolean vectors = runs && cols == NR && j % L == 0;
            for (int p = 0; p < kc; p++) {
                int base = xo + rowBase[pc + p], d = off + p * NR;
                if (vectors) {
                    for (int v = 0; v < NR; v += L) FloatVector.fromArray(V, x, base + colBase[j + v]).intoArray(dst, d + v);
                    continue;
                }
                for (int jj = 0; jj < cols; jj++) dst[d + jj] = dense || inside(pc + p, j + jj) ? x[base + colBase[j + jj]] : 0f;
                for (int jj = cols; jj < NR; jj++) dst[d + jj] = 0f;
            }
        };
    }

    /**
     * The row source of A = the column matrix of the image at x[xo ..] (m = rows, k = output cells): each panel row is
     * one kernel row read along output cells, runs of contiguous floats. The weight gradient used to pack the transposed
     * column matrix as B instead, sixteen scattered floats per step: 10% of the 3×3 layer's forward and backward time.
     */
    private PackedSgemm.RowSource rows(float[] x, int xo) {
        PackedSgemm.RowSource packed = packedRows(x, xo, colBase);
        return inPlace() ? new PackedSgemm.ImageRows(x, xo, rowBase, colBase, geometry.outW(), packed) : packed;
    }

    /**
     * Whether the product reads the image's output rows in place: only rows of 4 vectors or more. The 3×3 layer's (32)
     * weight gradient went from 18.0–18.7 to 15.4–15.9 ms, LeNet conv2's (8) from 3.4–3.8 to 3.9–4.0 ms, its segments
     * too short for the loop around them.
     */
    private boolean inPlace() { return runs && geometry.outW() >= 4 * L; }

    /**
     * Five kernel columns j..j+4 of one kernel row (consecutive floats of the image) over L consecutive output cells:
     * the 5·L panel values at d are x[b + t + k] for step t and row k, a sliding window that two vector loads hold.
     * Each output vector picks its lanes from the two with one two-vector permutation, instead of 5·L scalar loads
     * and stores (the scalar packing was a third of LeNet conv2's weight gradient).
     */
    private static void slide(float[] x, int b, float[] dst, int d) {
        FloatVector v0 = FloatVector.fromArray(V, x, b), v1 = FloatVector.fromArray(V, x, b + L);
        for (int m = 0; m < MR; m++) v0.rearrange(WINDOW[m], v1).intoArray(dst, d + m * L);
    }

    /** Lane l of panel vector m holds step t = (m·L + l) / 5 of row k = (m·L + l) % 5: window lane t + k (≥ L: the second vector). */
    private static final VectorShuffle<Float>[] WINDOW = window();

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] window() {
        VectorShuffle<Float>[] w = new VectorShuffle[MR];
        for (int m = 0; m < MR; m++) {
            int[] lanes = new int[L];
            for (int l = 0; l < L; l++) lanes[l] = (m * L + l) / MR + (m * L + l) % MR;
            w[m] = VectorShuffle.fromArray(V, lanes, 0);
        }
        return w;
    }

    /** A's panels packed from the image: step q of row r is x[xo + rowBase[r] + cells[q]]. */
    private PackedSgemm.RowSource packedRows(float[] x, int xo, int[] cells) {
        return (ic, mc, pc, kc, dst, off) -> {
            for (int r0 = 0; r0 < mc; r0 += MR) {
                int rows = Math.min(MR, mc - r0), base = off + r0 * kc;
                if (rows == MR && dense) {
                    // Step by step across the panel's five rows, so that the stores run contiguously and each column
                    // offset is read once (as PanelPacking.packA does): 9% of a LeNet step in five strided passes, 6% so.
                    int r = ic + r0, s0 = xo + rowBase[r], s1 = xo + rowBase[r + 1], s2 = xo + rowBase[r + 2], s3 = xo + rowBase[r + 3], s4 = xo + rowBase[r + 4];
                    boolean window = s1 == s0 + 1 && s2 == s0 + 2 && s3 == s0 + 3 && s4 == s0 + 4;
                    for (int p = 0, d = base; p < kc; p++, d += MR) {
                        int cb = cells[pc + p];
                        if (window && p + L <= kc && cells[pc + p + L - 1] == cb + L - 1 && s0 + cb + 2 * L <= x.length) {
                            slide(x, s0 + cb, dst, d);
                            p += L - 1;
                            d += (L - 1) * MR;
                            continue;
                        }
                        dst[d] = x[s0 + cb];
                        dst[d + 1] = x[s1 + cb];
                        dst[d + 2] = x[s2 + cb];
                        dst[d + 3] = x[s3 + cb];
                        dst[d + 4] = x[s4 + cb];
                    }
                    continue;
                }
                for (int ii = 0; ii < MR; ii++) {
                    if (ii >= rows) {
                        for (int p = 0; p < kc; p++) dst[base + p * MR + ii] = 0f;
                        continue;
                    }
                    int r = ic + r0 + ii, src = xo + rowBase[r];
                    for (int p = 0; p < kc; p++) dst[base + p * MR + ii] = dense || inside(r, pc + p) ? x[src + cells[pc + p]] : 0f;
                }
            }
        };
    }
}
