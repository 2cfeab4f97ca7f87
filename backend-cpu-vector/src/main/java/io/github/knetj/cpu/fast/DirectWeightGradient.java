package io.github.knetj.cpu.fast;

import io.github.knetj.cpu.Im2col;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 weight gradient of a convolution with few output channels, computed directly instead of as products
 * with packed column matrices: dW[o, c, i, j] = Σ_n Σ_oh Σ_ow dy[n, o, oh, ow] · x[n, c, oh·sh + i·dh, ow + j·dw].
 *
 * <p>Why: as a matrix product, each image's column matrix (C·kh·kw × Ho·Wo) must be packed element by element, and
 * with few output channels (LeNet's conv1: 20) there are only o/(2·L) multiply-add cycles per packed element, so
 * packing took about two thirds of the time. Here the vectors run along an output row (ow), which is contiguous
 * in dy and, at stride 1 without padding, in x too: for four output channels and up to five kernel columns at a
 * time, each step loads 4 + 5 vectors for 20 multiply-adds into register accumulators (two channels, 2 + 5 loads for
 * 10, left the loads the limit: LeNet conv1's forward and backward 0.82–0.88 → 0.72–0.74 ms on two threads, the same
 * bits). The steps of one image are one loop over the vectors of an output plane, with each vector's x offset from a
 * table: nested loops over rows of 3 vectors (LeNet's 24 columns) ran at ~0.6 multiply-adds per cycle, the flat loop at
 * ~1.1. Every dW element is owned by one task and summed over n, oh, ow in one order, so the result does not depend on
 * the thread count or on how channels are grouped.
 */
public final class DirectWeightGradient {
    private static final VectorSpecies<Float> S = PackedSgemm.ROWS;
    private static final int L = S.length(), JB = 5, OB = 4;
    /** Above this many output channels the packed products win: packing costs less per multiply-add. */
    static final int MAX_OUT = 32;
    /** One block's OB·JB vectors of sums, on their way to dW. */
    private static final ThreadLocal<float[]> SUMS = ThreadLocal.withInitial(() -> new float[OB * JB * L]);

    private DirectWeightGradient() {}

    /** Whether this kernel applies: stride 1 along rows, no padding (callers pad first), whole vectors per output row. */
    public static boolean applies(Im2col.Geometry g, int outChannels) {
        return outChannels <= MAX_OUT && g.s().strideW() == 1 && g.s().padH() == 0 && g.s().padW() == 0 && g.outW() % L == 0;
    }

    /**
     * dw (O, C, kh, kw) = the weight gradient over {@code batch} images; x holds the images (C, H, W) one after
     * another at {@code image} floats each (already padded when the convolution pads), dy (batch, O, Ho, Wo).
     */
    public static void compute(Im2col.Geometry g, int batch, int outChannels, float[] x, int image, float[] dy, float[] dw) {
        int kh = g.kh(), kw = g.kw(), channels = g.channels(), oBlocks = (outChannels + OB - 1) / OB;
        Parallel.forEach(oBlocks * channels * kh, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int ob = t / (channels * kh), c = t / kh % channels, i = t % kh;
                for (int j0 = 0; j0 < kw; j0 += JB) block(g, batch, outChannels, x, image, dy, dw, OB * ob, c, i, j0, Math.min(JB, kw - j0));
            }
        });
    }

    /** dW[o0 .. o0+OB-1, c, i, j0 .. j0+jn-1]; channels past the last are computed into nothing. */
    private static void block(Im2col.Geometry g, int batch, int outChannels, float[] x, int image, float[] dy, float[] dw,
                              int o0, int c, int i, int j0, int jn) {
        int ho = g.outH(), wo = g.outW(), w = g.width(), cells = ho * wo, dh = g.s().dilationH(), dwl = g.s().dilationW(), sh = g.s().strideH();
        int o1 = Math.min(o0 + 1, outChannels - 1), o2 = Math.min(o0 + 2, outChannels - 1), o3 = Math.min(o0 + 3, outChannels - 1);
        // Offsets of the five kernel columns; a missing column re-reads column j0 and is never stored.
        int d0 = j0 * dwl, d1 = (j0 + Math.min(1, jn - 1)) * dwl, d2 = (j0 + Math.min(2, jn - 1)) * dwl, d3 = (j0 + Math.min(3, jn - 1)) * dwl;
        int d4 = (j0 + Math.min(4, jn - 1)) * dwl;
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00, a04 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00, a14 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00, a24 = a00, a30 = a00, a31 = a00, a32 = a00, a33 = a00, a34 = a00;
        // One loop over the vectors of an output plane (Ho·Wo/L of them): the x row of vector v starts at xOff[v].
        int vectors = cells / L, perRow = wo / L;
        int[] xOff = new int[vectors];
        for (int v = 0; v < vectors; v++) xOff[v] = (v / perRow * sh + i * dh) * w + v % perRow * L;
        for (int n = 0; n < batch; n++) {
            int yo0 = (n * outChannels + o0) * cells, yo1 = (n * outChannels + o1) * cells, yo2 = (n * outChannels + o2) * cells, yo3 = (n * outChannels + o3) * cells;
            int xc = n * image + c * g.height() * w;
            for (int v = 0; v < vectors; v++) {
                int at = xc + xOff[v];
                FloatVector x0 = FloatVector.fromArray(S, x, at + d0), x1 = FloatVector.fromArray(S, x, at + d1);
                FloatVector x2 = FloatVector.fromArray(S, x, at + d2), x3 = FloatVector.fromArray(S, x, at + d3);
                FloatVector x4 = FloatVector.fromArray(S, x, at + d4);
                FloatVector g0 = FloatVector.fromArray(S, dy, yo0 + v * L);
                a00 = g0.fma(x0, a00);
                a01 = g0.fma(x1, a01);
                a02 = g0.fma(x2, a02);
                a03 = g0.fma(x3, a03);
                a04 = g0.fma(x4, a04);
                FloatVector g1 = FloatVector.fromArray(S, dy, yo1 + v * L);
                a10 = g1.fma(x0, a10);
                a11 = g1.fma(x1, a11);
                a12 = g1.fma(x2, a12);
                a13 = g1.fma(x3, a13);
                a14 = g1.fma(x4, a14);
                FloatVector g2 = FloatVector.fromArray(S, dy, yo2 + v * L);
                a20 = g2.fma(x0, a20);
                a21 = g2.fma(x1, a21);
                a22 = g2.fma(x2, a22);
                a23 = g2.fma(x3, a23);
                a24 = g2.fma(x4, a24);
                FloatVector g3 = FloatVector.fromArray(S, dy, yo3 + v * L);
                a30 = g3.fma(x0, a30);
                a31 = g3.fma(x1, a31);
                a32 = g3.fma(x2, a32);
                a33 = g3.fma(x3, a33);
                a34 = g3.fma(x4, a34);
            }
        }
        int kk = g.kh() * g.kw(), r = (c * g.kh() + i) * g.kw() + j0, rows = g.channels() * kk;
        // The sums go through memory, not through a helper taking them: a call C2 leaves uninlined boxes its vectors.
        float[] sums = SUMS.get();
        a00.intoArray(sums, 0); a01.intoArray(sums, L); a02.intoArray(sums, 2 * L); a03.intoArray(sums, 3 * L); a04.intoArray(sums, 4 * L);
        a10.intoArray(sums, 5 * L); a11.intoArray(sums, 6 * L); a12.intoArray(sums, 7 * L); a13.intoArray(sums, 8 * L); a14.intoArray(sums, 9 * L);
        a20.intoArray(sums, 10 * L); a21.intoArray(sums, 11 * L); a22.intoArray(sums, 12 * L); a23.intoArray(sums, 13 * L); a24.intoArray(sums, 14 * L);
        a30.intoArray(sums, 15 * L); a31.intoArray(sums, 16 * L); a32.intoArray(sums, 17 * L); a33.intoArray(sums, 18 * L); a34.intoArray(sums, 19 * L);
        for (int k = 0; k < OB && o0 + k < outChannels; k++) store(dw, (o0 + k) * rows + r, jn, sums, k * JB * L);
    }

    /** dw[at + j] = the lane sum of vector j at sums[from + j·L], for the jn kernel columns, lanes added in order. */
    private static void store(float[] dw, int at, int jn, float[] sums, int from) {
        for (int j = 0; j < jn; j++) {
            double s = 0;
            for (int l = 0; l < L; l++) s += sums[from + j * L + l];
            dw[at + j] = (float) s;
        }
    }
}
