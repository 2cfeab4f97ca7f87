package io.github.knetj.cpu;

import io.github.knetj.api.Conv2d;

/**
 * The unfolding of one image into columns and its adjoint. For an image (C, H, W) and a kernel (kh, kw), row
 * r = (c·kh + i)·kw + j of the (C·kh·kw, Ho·Wo) column matrix holds x[c, oh·sh − ph + i·dh, ow·sw − pw + j·dw] for every
 * output cell (oh, ow), or 0 where that falls in the padding. Each row's valid output columns are found once, so the
 * inner loop has no bounds test. The float32 loops are plain counted loops with a separate unit-stride branch, which
 * the JIT vectorizes: rows are short (24 and 8 floats in LeNet), where System.arraycopy and Arrays.fill calls cost
 * more than the copy (they took 13.5% of a LeNet step).
 */
public final class Im2col {
    private Im2col() {}

    /** The geometry of one convolution: input (C, H, W), kernel (kh, kw), output (Ho, Wo) and the spec. */
    public record Geometry(int channels, int height, int width, int kh, int kw, int outH, int outW, Conv2d s) {
        public int rows() { return channels * kh * kw; }

        public int cols() { return outH * outW; }

        /** First output column ow whose input column ow·sw − pw + off is ≥ 0. */
        int lo(int off, int stride, int pad) { return Math.max(0, Math.floorDiv(pad - off + stride - 1, stride)); }

        /** One past the last output column whose input column is < size. */
        int hi(int off, int stride, int pad, int size, int out) { return Math.min(out, Math.floorDiv(size - 1 + pad - off, stride) + 1); }
    }

    /** Rows [r0, r1) of the column matrix of the image at x[xo ..] into cols (row r at r·Ho·Wo). */
    public static void im2col(Geometry g, float[] x, int xo, float[] cols, int r0, int r1) {
        Conv2d s = g.s();
        int p = g.cols();
        for (int r = r0; r < r1; r++) {
            int c = r / (g.kh() * g.kw()), i = r / g.kw() % g.kh(), j = r % g.kw();
            int owLo = Math.min(g.outW(), g.lo(j * s.dilationW(), s.strideW(), s.padW())), owHi = Math.max(owLo, g.hi(j * s.dilationW(), s.strideW(), s.padW(), g.width(), g.outW()));
            for (int oh = 0; oh < g.outH(); oh++) {
                int ih = oh * s.strideH() - s.padH() + i * s.dilationH(), dst = r * p + oh * g.outW();
                if (ih < 0 || ih >= g.height()) {
                    java.util.Arrays.fill(cols, dst, dst + g.outW(), 0f);
                    continue;
                }
                int src = xo + (c * g.height() + ih) * g.width() - s.padW() + j * s.dilationW();
                for (int ow = 0; ow < owLo; ow++) cols[dst + ow] = 0f;
                if (s.strideW() == 1) for (int ow = owLo; ow < owHi; ow++) cols[dst + ow] = x[src + ow];
                else for (int ow = owLo; ow < owHi; ow++) cols[dst + ow] = x[src + ow * s.strideW()];
                for (int ow = owHi; ow < g.outW(); ow++) cols[dst + ow] = 0f;
            }
        }
    }

    /** The adjoint: adds rows of channels [c0, c1) of cols back into the image at dx[xo ..] (channels never overlap). */
    public static void col2im(Geometry g, float[] cols, float[] dx, int xo, int c0, int c1) {
        Conv2d s = g.s();
        int p = g.cols(), kk = g.kh() * g.kw();
        for (int r = c0 * kk; r < c1 * kk; r++) {
            int c = r / kk, i = r / g.kw() % g.kh(), j = r % g.kw();
            int owLo = g.lo(j * s.dilationW(), s.strideW(), s.padW()), owHi = g.hi(j * s.dilationW(), s.strideW(), s.padW(), g.width(), g.outW());
            for (int oh = 0; oh < g.outH(); oh++) {
                int ih = oh * s.strideH() - s.padH() + i * s.dilationH();
                if (ih < 0 || ih >= g.height()) continue;
                int dst = xo + (c * g.height() + ih) * g.width() - s.padW() + j * s.dilationW(), src = r * p + oh * g.outW();
                if (s.strideW() == 1) for (int ow = owLo; ow < owHi; ow++) dx[dst + ow] += cols[src + ow];
                else for (int ow = owLo; ow < owHi; ow++) dx[dst + ow * s.strideW()] += cols[src + ow];
            }
        }
    }

    /** The float64 twin of the float32 im2col above: rows [r0, r1) of the column matrix of the image at x[xo ..] into cols (row r at r·Ho·Wo). */
    public static void im2col(Geometry g, double[] x, int xo, double[] cols, int r0, int r1) {
        Conv2d s = g.s();
        int p = g.cols();
        for (int r = r0; r < r1; r++) {
            int c = r / (g.kh() * g.kw()), i = r / g.kw() % g.kh(), j = r % g.kw();
            int owLo = Math.min(g.outW(), g.lo(j * s.dilationW(), s.strideW(), s.padW())), owHi = Math.max(owLo, g.hi(j * s.dilationW(), s.strideW(), s.padW(), g.width(), g.outW()));
            for (int oh = 0; oh < g.outH(); oh++) {
                int ih = oh * s.strideH() - s.padH() + i * s.dilationH(), dst = r * p + oh * g.outW();
                if (ih < 0 || ih >= g.height()) {
                    java.util.Arrays.fill(cols, dst, dst + g.outW(), 0.0);
                    continue;
                }
                int src = xo + (c * g.height() + ih) * g.width() - s.padW() + j * s.dilationW();
                java.util.Arrays.fill(cols, dst, dst + owLo, 0.0);
                if (s.strideW() == 1 && owHi > owLo) System.arraycopy(x, src + owLo, cols, dst + owLo, owHi - owLo);
                else for (int ow = owLo; ow < owHi; ow++) cols[dst + ow] = x[src + ow * s.strideW()];
                java.util.Arrays.fill(cols, dst + owHi, dst + g.outW(), 0.0);
            }
        }
    }

    /** The float64 twin of the float32 col2im above: the adjoint; adds rows of channels [c0, c1) of cols back into the image at dx[xo ..] (channels never overlap). */
    public static void col2im(Geometry g, double[] cols, double[] dx, int xo, int c0, int c1) {
        Conv2d s = g.s();
        int p = g.cols(), kk = g.kh() * g.kw();
        for (int r = c0 * kk; r < c1 * kk; r++) {
            int c = r / kk, i = r / g.kw() % g.kh(), j = r % g.kw();
            int owLo = g.lo(j * s.dilationW(), s.strideW(), s.padW()), owHi = g.hi(j * s.dilationW(), s.strideW(), s.padW(), g.width(), g.outW());
            for (int oh = 0; oh < g.outH(); oh++) {
                int ih = oh * s.strideH() - s.padH() + i * s.dilationH();
                if (ih < 0 || ih >= g.height()) continue;
                int dst = xo + (c * g.height() + ih) * g.width() - s.padW() + j * s.dilationW(), src = r * p + oh * g.outW();
                for (int ow = owLo; ow < owHi; ow++) dx[dst + ow * s.strideW()] += cols[src + ow];
            }
        }
    }
}
