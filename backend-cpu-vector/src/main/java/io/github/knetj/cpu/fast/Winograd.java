package io.github.knetj.cpu.fast;

import io.github.knetj.cpu.Im2col;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 3×3 convolutions at stride 1 by Winograd's minimal filtering F(2×2, 3×3) (Lavin and Gray, 2015): each 2×2
 * tile of output is Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A, where d is the 4×4 input patch under it, g the 3×3 kernel and
 *
 * <pre>
 *      | 1  0 -1  0 |        | 1   0   0  |
 * Bᵀ = | 0  1  1  0 |    G = | ½   ½   ½  |    Aᵀ = | 1  1  1  0 |
 *      | 0 -1  1  0 |        | ½  -½   ½  |         | 0  1 -1 -1 |
 *      | 0  1  0 -1 |        | 0   0   1  |
 * </pre>
 *
 * Summed over input channels, each of the 16 positions ξ of the 4×4 transforms is one matrix product:
 * M[ξ] (O × tiles) = U[ξ] (O × C) · V[ξ] (C × tiles), with U = G g Gᵀ and V = Bᵀ d B. That is 16 multiply-adds per
 * four outputs and input channel against 36: the 3×3 64→64 layer's forward pass went from 13.4 to 9.4 ms (batch 32).
 * Backward-input is the same forward pass over dy with the kernels flipped and their channels swapped, padded by
 * 2 − p; backward-weight is dg = Gᵀ[Σ_tiles (A dY Aᵀ) ⊙ V]G, 16 products dU[ξ] += dM[ξ]·V[ξ]ᵀ (as dot products of
 * rows, {@link DotSgemm}, where the result is small and the rows long).
 *
 * <p>The transforms only add, subtract and halve, so the results stay within a few ulps of the direct sums (the tests
 * compare both with the float64 reference). Columns of the padded image are stored split, even ones then odd ones,
 * so that the patches of L neighbouring tiles are unit-stride vectors. Tiles are taken in blocks of tile rows whose
 * transforms (V and M) stay near 1 MB, and every sum runs in an order fixed by the shapes alone, so no result depends
 * on the thread count.
 */
public final class Winograd {
    private static final VectorSpecies<Float> S = PackedSgemm.ROWS;
    private static final int L = S.length();
    /** Floats in one block of transformed tiles (16 · channels · tiles): 1 MB. */
    private static final int BLOCK = 1 << 18;
    /** Fewer channels than this leave the products too small to pay for the transforms. */
    static final int MIN_CHANNELS = 16;
    /** Per thread: the split padded image, the split dy, V and M (or dM). */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[4][0]);

    private Winograd() {}

    /** Whether g (already checked float32, SIMD) is a 3×3, stride-1, undilated convolution with enough channels. */
    public static boolean applies(Im2col.Geometry g, int outputs) {
        var s = g.s();
        return g.kh() == 3 && g.kw() == 3 && s.strideH() == 1 && s.strideW() == 1 && s.dilationH() == 1 && s.dilationW() == 1
                && s.padH() <= 2 && s.padW() <= 2 && g.outH() > 0 && g.outW() > 0
                && g.channels() >= MIN_CHANNELS && outputs >= MIN_CHANNELS;
    }

    /**
     * One convolution's sizes: c input channels of h × w padded by (ph, pw), o output channels of outH × outW; th × tw
     * tiles; the split padded image is hq × wq; blocks of rb tile rows.
     */
    record Layer(int c, int h, int w, int ph, int pw, int o, int outH, int outW, int th, int tw, int hq, int wq, int rb) {
        static Layer of(int c, int h, int w, int ph, int pw, int o) {
            int outH = h + 2 * ph - 2, outW = w + 2 * pw - 2, th = (outH + 1) / 2, tw = (outW + 1) / 2;
            return new Layer(c, h, w, ph, pw, o, outH, outW, th, tw, 2 * th + 2, 2 * tw + 2,
                    Math.max(1, Math.min(th, BLOCK / (16 * Math.max(c, o) * tw))));
        }

        int blockTiles() { return rb * tw; }
    }

    /** y (batch, O, Ho, Wo) = conv(x, w): x (batch, C, H, W), w (O, C, 3, 3); y is overwritten. */
    public static void forward(Im2col.Geometry g, int batch, int o, float[] x, float[] w, float[] y) {
        Layer l = Layer.of(g.channels(), g.height(), g.width(), g.s().padH(), g.s().padW(), o);
        run(l, batch, x, packed(l, kernels(w, o, l.c(), false)), y);
    }

    /** dx (batch, C, H, W) = the input gradient for dy (batch, O, Ho, Wo) and w (O, C, 3, 3); dx is overwritten. */
    public static void backwardInput(Im2col.Geometry g, int batch, int o, float[] dy, float[] w, float[] dx) {
        Layer l = Layer.of(o, g.outH(), g.outW(), 2 - g.s().padH(), 2 - g.s().padW(), g.channels());
        run(l, batch, dy, packed(l, kernels(w, o, g.channels(), true)), dx);
    }

    private static void run(Layer l, int batch, float[] x, PackedSgemm.PackedA[] u, float[] y) {
        int image = l.c() * l.h() * l.w(), out = l.o() * l.outH() * l.outW();
        ImageLoop.perImage(batch, (n, unused, inner) -> image(l, x, n * image, u, y, n * out, inner), x, 0);
    }

    private static void image(Layer l, float[] x, int xo, PackedSgemm.PackedA[] u, float[] y, int yo, boolean inner) {
        int most = panels(l.blockTiles());
        float[][] s = scratch(l.c() * l.hq() * l.wq() + L, 0, 16 * plane(l.c(), most), 16 * plane(l.o(), most));
        split(l, x, xo, s[0], inner);
        for (int t0 = 0; t0 < l.th(); t0 += l.rb()) {
            // Rows of V and M ld = whole panels apart, and the products ld columns wide: every panel of V is then read
            // in place, where the last, partial one was packed (and its sums copied out one by one) for each ξ and image.
            // The columns past the tiles hold what the transforms ran past, and their products are never read.
            int t1 = Math.min(l.th(), t0 + l.rb()), ld = panels((t1 - t0) * l.tw()), first = t0;
            spread(inner, l.c(), (c0, c1) -> inputTiles(l, s[0], first, t1, c0, c1, s[2], ld));
            spread(inner, 16, (k0, k1) -> {
                for (int k = k0; k < k1; k++)
                    PackedSgemm.gemmInto(u[k], ld, new PackedSgemm.RowMajorB(s[2], k * plane(l.c(), ld), ld), s[3], k * plane(l.o(), ld), ld, false);
            });
            spread(inner, l.o(), (o0, o1) -> outputTiles(l, s[3], first, t1, o0, o1, y, yo, ld));
        }
    }

    /** dw (O, C, 3, 3) = the weight gradient over the batch; images are summed in fixed groups, as the direct path does. */
    public static void backwardWeight(Im2col.Geometry g, int batch, int o, float[] x, float[] dy, float[] dw, int groups) {
        Layer l = Layer.of(g.channels(), g.height(), g.width(), g.s().padH(), g.s().padW(), o);
        int image = l.c() * l.h() * l.w(), out = o * l.outH() * l.outW();
        float[][] partial = new float[groups][16 * o * l.c()];
        boolean inner = groups < Parallel.threads();
        Parallel.Range body = (g0, g1) -> {
            for (int gi = g0; gi < g1; gi++)
                for (int n = gi * batch / groups; n < (gi + 1) * batch / groups; n++) weightImage(l, x, n * image, dy, n * out, partial[gi], inner);
        };
        if (inner) body.run(0, groups);
        else Parallel.forEach(groups, body);
        for (int gi = 1; gi < groups; gi++) for (int i = 0; i < partial[0].length; i++) partial[0][i] += partial[gi][i];
        weightsFromTransformed(partial[0], o, l.c(), dw);
    }

    private static void weightImage(Layer l, float[] x, int xo, float[] dy, int dyo, float[] du, boolean inner) {
        int c = l.c(), o = l.o();
        float[][] s = scratch(c * l.hq() * l.wq() + L, o * 4 * l.th() * l.tw() + L, 16 * plane(c, l.blockTiles()), 16 * plane(o, l.blockTiles()));
        split(l, x, xo, s[0], inner);
        splitGradient(l, dy, dyo, s[1]);
        for (int t0 = 0; t0 < l.th(); t0 += l.rb()) {
            int t1 = Math.min(l.th(), t0 + l.rb()), tiles = (t1 - t0) * l.tw(), first = t0;
            spread(inner, c, (c0, c1) -> inputTiles(l, s[0], first, t1, c0, c1, s[2], tiles));
            spread(inner, o, (o0, o1) -> gradientTiles(l, s[1], first, t1, o0, o1, s[3]));
            boolean dots = DotSgemm.suitsSmall(o, c, tiles);
            spread(inner, 16, (k0, k1) -> {
                for (int k = k0; k < k1; k++)
                    if (dots) DotSgemm.gemm(o, c, tiles, s[3], k * plane(o, tiles), tiles, s[2], k * plane(c, tiles), tiles, du, k * o * c, c, false);
                    else PackedSgemm.gemm(false, true, o, c, tiles, s[3], k * plane(o, tiles), tiles, s[2], k * plane(c, tiles), tiles, du, k * o * c, c, false);
            });
        }
    }

    /** U (16, O, C) = G g Gᵀ for every kernel, or (16, C, O) from the kernels flipped 180° with their channels swapped. */
    private static float[] kernels(float[] w, int o, int c, boolean flipped) {
        float[] u = new float[16 * o * c];
        int rows = flipped ? c : o, cols = flipped ? o : c;
        float[] gg = new float[12];
        for (int oc = 0; oc < o; oc++)
            for (int ic = 0; ic < c; ic++) {
                int at = (oc * c + ic) * 9;
                for (int j = 0; j < 3; j++) {
                    float g0 = w[at + (flipped ? 8 - j : j)], g1 = w[at + (flipped ? 5 - j : 3 + j)], g2 = w[at + (flipped ? 2 - j : 6 + j)];
                    gg[j] = g0;
                    gg[3 + j] = 0.5f * (g0 + g1 + g2);
                    gg[6 + j] = 0.5f * (g0 - g1 + g2);
                    gg[9 + j] = g2;
                }
                int r = flipped ? ic : oc, q = flipped ? oc : ic;
                for (int i = 0; i < 4; i++) {
                    float h0 = gg[3 * i], h1 = gg[3 * i + 1], h2 = gg[3 * i + 2];
                    u[((4 * i) * rows + r) * cols + q] = h0;
                    u[((4 * i + 1) * rows + r) * cols + q] = 0.5f * (h0 + h1 + h2);
                    u[((4 * i + 2) * rows + r) * cols + q] = 0.5f * (h0 - h1 + h2);
                    u[((4 * i + 3) * rows + r) * cols + q] = h2;
                }
            }
        return u;
    }

    private static PackedSgemm.PackedA[] packed(Layer l, float[] u) {
        PackedSgemm.PackedA[] p = new PackedSgemm.PackedA[16];
        for (int k = 0; k < 16; k++) p[k] = PackedSgemm.pack(false, l.o(), l.c(), u, k * l.o() * l.c(), l.c());
        return p;
    }

    /** dw (O, C, 3, 3) = Gᵀ dU G for every kernel, from dU (16, O, C). */
    private static void weightsFromTransformed(float[] du, int o, int c, float[] dw) {
        int plane = o * c;
        float[] t = new float[12];
        for (int r = 0; r < plane; r++) {
            for (int j = 0; j < 4; j++) {
                float d0 = du[j * plane + r], d1 = du[(4 + j) * plane + r], d2 = du[(8 + j) * plane + r], d3 = du[(12 + j) * plane + r];
                t[j] = d0 + 0.5f * (d1 + d2);
                t[4 + j] = 0.5f * (d1 - d2);
                t[8 + j] = 0.5f * (d1 + d2) + d3;
            }
            for (int i = 0; i < 3; i++) {
                float e0 = t[4 * i], e1 = t[4 * i + 1], e2 = t[4 * i + 2], e3 = t[4 * i + 3];
                dw[r * 9 + 3 * i] = e0 + 0.5f * (e1 + e2);
                dw[r * 9 + 3 * i + 1] = 0.5f * (e1 - e2);
                dw[r * 9 + 3 * i + 2] = 0.5f * (e1 + e2) + e3;
            }
        }
    }

    /**
     * The zero-padded image x[xo ..] into dst (C, hq, wq), each row's even columns first and its odd columns after them
     * (tw + 1 each), so that column 2t of the padded image is at t and column 2t + 1 at tw + 1 + t.
     */
    private static void split(Layer l, float[] x, int xo, float[] dst, boolean inner) {
        spread(inner, l.c(), (c0, c1) -> {
            int half = l.tw() + 1, wq = l.wq(), h = l.h(), w = l.w(), ph = l.ph(), pw = l.pw();
            java.util.Arrays.fill(dst, c0 * l.hq() * wq, c1 * l.hq() * wq, 0f);
            for (int c = c0; c < c1; c++)
                for (int i = 0; i < h; i++) {
                    int src = xo + (c * h + i) * w, row = (c * l.hq() + i + ph) * wq;
                    for (int j = 0; j < w; j++) {
                        int q = j + pw;
                        dst[row + (q & 1) * half + (q >> 1)] = x[src + j];
                    }
                }
        });
    }

    /** dy[dyo ..] (O, Ho, Wo) into dst (O, 2·th, 2·tw), zero-padded, each row's even columns first then its odd ones. */
    private static void splitGradient(Layer l, float[] dy, int dyo, float[] dst) {
        int tw = l.tw(), rows = 2 * l.th(), wq = 2 * tw, ho = l.outH(), wo = l.outW();
        java.util.Arrays.fill(dst, 0, l.o() * rows * wq, 0f);
        for (int o = 0; o < l.o(); o++)
            for (int i = 0; i < ho; i++) {
                int src = dyo + (o * ho + i) * wo, row = (o * rows + i) * wq;
                for (int j = 0; j < wo; j++) dst[row + (j & 1) * tw + (j >> 1)] = dy[src + j];
            }
    }

    /**
     * V[ξ, c, t] = (Bᵀ d B)[ξ] for channels [c0, c1) and tile rows [t0, t1), from the split padded image sp. A row's
     * last vector may run past its tiles (at 28×28 a row has 14 tiles, 7 and 4 in the smaller stages: fewer than one
     * 16-lane vector, so scalar tails took a fifth of a ResNet-20 step): see {@link #vectorEnd}. Channel c's row of
     * V starts at c·ld (ld ≥ the tiles of the rows).
     */
    private static void inputTiles(Layer l, float[] sp, int t0, int t1, int c0, int c1, float[] v, int ld) {
        int tw = l.tw(), half = tw + 1, wq = l.wq(), xi = plane(l.c(), ld);
        float[] a = new float[16];   // one edge tile's rows after the column transform
        for (int c = c0; c < c1; c++)
            for (int ti = t0; ti < t1; ti++) {
                int r0 = (c * l.hq() + 2 * ti) * wq, r1 = r0 + wq, r2 = r1 + wq, r3 = r2 + wq, out = c * ld + (ti - t0) * tw;
                int tj = 0;
                for (int end = vectorEnd(out, tw, c1 * ld, c1 == l.c()); tj < end; tj += L) {
                    FloatVector e1 = FloatVector.fromArray(S, sp, r0 + tj + 1), o0 = FloatVector.fromArray(S, sp, r0 + half + tj);
                    FloatVector a00 = FloatVector.fromArray(S, sp, r0 + tj).sub(e1), a01 = o0.add(e1), a02 = e1.sub(o0),
                            a03 = o0.sub(FloatVector.fromArray(S, sp, r0 + half + tj + 1));
                    e1 = FloatVector.fromArray(S, sp, r1 + tj + 1);
                    o0 = FloatVector.fromArray(S, sp, r1 + half + tj);
                    FloatVector a10 = FloatVector.fromArray(S, sp, r1 + tj).sub(e1), a11 = o0.add(e1), a12 = e1.sub(o0),
                            a13 = o0.sub(FloatVector.fromArray(S, sp, r1 + half + tj + 1));
                    e1 = FloatVector.fromArray(S, sp, r2 + tj + 1);
                    o0 = FloatVector.fromArray(S, sp, r2 + half + tj);
                    FloatVector a20 = FloatVector.fromArray(S, sp, r2 + tj).sub(e1), a21 = o0.add(e1), a22 = e1.sub(o0),
                            a23 = o0.sub(FloatVector.fromArray(S, sp, r2 + half + tj + 1));
                    int at = out + tj;
                    a00.sub(a20).intoArray(v, at);
                    a01.sub(a21).intoArray(v, at + xi);
                    a02.sub(a22).intoArray(v, at + 2 * xi);
                    a03.sub(a23).intoArray(v, at + 3 * xi);
                    a10.add(a20).intoArray(v, at + 4 * xi);
                    a11.add(a21).intoArray(v, at + 5 * xi);
                    a12.add(a22).intoArray(v, at + 6 * xi);
                    a13.add(a23).intoArray(v, at + 7 * xi);
                    a20.sub(a10).intoArray(v, at + 8 * xi);
                    a21.sub(a11).intoArray(v, at + 9 * xi);
                    a22.sub(a12).intoArray(v, at + 10 * xi);
                    a23.sub(a13).intoArray(v, at + 11 * xi);
                    e1 = FloatVector.fromArray(S, sp, r3 + tj + 1);
                    o0 = FloatVector.fromArray(S, sp, r3 + half + tj);
                    a10.sub(FloatVector.fromArray(S, sp, r3 + tj).sub(e1)).intoArray(v, at + 12 * xi);
                    a11.sub(o0.add(e1)).intoArray(v, at + 13 * xi);
                    a12.sub(e1.sub(o0)).intoArray(v, at + 14 * xi);
                    a13.sub(o0.sub(FloatVector.fromArray(S, sp, r3 + half + tj + 1))).intoArray(v, at + 15 * xi);
                }
                for (; tj < tw; tj++) {
                    for (int r = 0; r < 4; r++) {
                        int row = r0 + r * wq;
                        float e0 = sp[row + tj], od0 = sp[row + half + tj], e1 = sp[row + tj + 1], od1 = sp[row + half + tj + 1];
                        a[4 * r] = e0 - e1;
                        a[4 * r + 1] = od0 + e1;
                        a[4 * r + 2] = e1 - od0;
                        a[4 * r + 3] = od0 - od1;
                    }
                    int at = out + tj;
                    for (int j = 0; j < 4; j++) {
                        v[at + j * xi] = a[j] - a[8 + j];
                        v[at + (4 + j) * xi] = a[4 + j] + a[8 + j];
                        v[at + (8 + j) * xi] = a[8 + j] - a[4 + j];
                        v[at + (12 + j) * xi] = a[4 + j] - a[12 + j];
                    }
                }
            }
    }

    /** dM[ξ, o, t] = (A dY Aᵀ)[ξ] for outputs [o0, o1) and tile rows [t0, t1), from the split gradient sd; vectors as in inputTiles. */
    private static void gradientTiles(Layer l, float[] sd, int t0, int t1, int o0, int o1, float[] dm) {
        int tw = l.tw(), wq = 2 * tw, tiles = (t1 - t0) * tw, xi = plane(l.o(), tiles);
        float[] p = new float[4], q = new float[4];   // one edge tile's two rows after the column transform
        for (int o = o0; o < o1; o++)
            for (int ti = t0; ti < t1; ti++) {
                int r0 = (o * 2 * l.th() + 2 * ti) * wq, r1 = r0 + wq, out = o * tiles + (ti - t0) * tw;
                int tj = 0;
                for (int end = vectorEnd(out, tw, o1 * tiles, o1 == l.o()); tj < end; tj += L) {
                    FloatVector a = FloatVector.fromArray(S, sd, r0 + tj), b = FloatVector.fromArray(S, sd, r0 + tw + tj);
                    FloatVector c = FloatVector.fromArray(S, sd, r1 + tj), d = FloatVector.fromArray(S, sd, r1 + tw + tj);
                    FloatVector p0 = a, p1 = a.add(b), p2 = a.sub(b), p3 = b.neg();
                    FloatVector q0 = c, q1 = c.add(d), q2 = c.sub(d), q3 = d.neg();
                    int at = out + tj;
                    p0.intoArray(dm, at);
                    p1.intoArray(dm, at + xi);
                    p2.intoArray(dm, at + 2 * xi);
                    p3.intoArray(dm, at + 3 * xi);
                    p0.add(q0).intoArray(dm, at + 4 * xi);
                    p1.add(q1).intoArray(dm, at + 5 * xi);
                    p2.add(q2).intoArray(dm, at + 6 * xi);
                    p3.add(q3).intoArray(dm, at + 7 * xi);
                    p0.sub(q0).intoArray(dm, at + 8 * xi);
                    p1.sub(q1).intoArray(dm, at + 9 * xi);
                    p2.sub(q2).intoArray(dm, at + 10 * xi);
                    p3.sub(q3).intoArray(dm, at + 11 * xi);
                    q0.neg().intoArray(dm, at + 12 * xi);
                    q1.neg().intoArray(dm, at + 13 * xi);
                    q2.neg().intoArray(dm, at + 14 * xi);
                    q3.neg().intoArray(dm, at + 15 * xi);
                }
                for (; tj < tw; tj++) {
                    float a = sd[r0 + tj], b = sd[r0 + tw + tj], c = sd[r1 + tj], d = sd[r1 + tw + tj];
                    p[0] = a; p[1] = a + b; p[2] = a - b; p[3] = -b;
                    q[0] = c; q[1] = c + d; q[2] = c - d; q[3] = -d;
                    int at = out + tj;
                    for (int j = 0; j < 4; j++) {
                        dm[at + j * xi] = p[j];
                        dm[at + (4 + j) * xi] = p[j] + q[j];
                        dm[at + (8 + j) * xi] = p[j] - q[j];
                        dm[at + (12 + j) * xi] = -q[j];
                    }
                }
            }
    }

    /**
     * y[o, 2·ti + i, 2·tj + j] = (Aᵀ M A)[i, j] for outputs [o0, o1) and tile rows [t0, t1); cells past Ho × Wo are
     * dropped. It only reads M, so a row's last vector may run past the row's tiles: the cells of tiles past it are
     * not stored, and the plane's slack keeps the last row's reads inside the array.
     */
    private static void outputTiles(Layer l, float[] m, int t0, int t1, int o0, int o1, float[] y, int yo, int ld) {
        int tw = l.tw(), xi = plane(l.o(), ld), ho = l.outH(), wo = l.outW();
        float[] cells = new float[4 * L];   // a block's output cells
        for (int o = o0; o < o1; o++)
            for (int ti = t0; ti < t1; ti++) {
                int in = o * ld + (ti - t0) * tw, row0 = yo + (o * ho + 2 * ti) * wo;
                boolean second = 2 * ti + 1 < ho;
                for (int tj = 0; tj < tw; tj += L) {
                    int n = Math.min(L, tw - tj), at = in + tj;
                    FloatVector s00 = FloatVector.fromArray(S, m, at), s01 = FloatVector.fromArray(S, m, at + xi);
                    FloatVector s02 = FloatVector.fromArray(S, m, at + 2 * xi), s03 = FloatVector.fromArray(S, m, at + 3 * xi);
                    FloatVector m10 = FloatVector.fromArray(S, m, at + 4 * xi), m11 = FloatVector.fromArray(S, m, at + 5 * xi);
                    FloatVector m12 = FloatVector.fromArray(S, m, at + 6 * xi), m13 = FloatVector.fromArray(S, m, at + 7 * xi);
                    FloatVector m20 = FloatVector.fromArray(S, m, at + 8 * xi), m21 = FloatVector.fromArray(S, m, at + 9 * xi);
                    FloatVector m22 = FloatVector.fromArray(S, m, at + 10 * xi), m23 = FloatVector.fromArray(S, m, at + 11 * xi);
                    FloatVector s10 = m10.sub(m20).sub(FloatVector.fromArray(S, m, at + 12 * xi));
                    FloatVector s11 = m11.sub(m21).sub(FloatVector.fromArray(S, m, at + 13 * xi));
                    FloatVector s12 = m12.sub(m22).sub(FloatVector.fromArray(S, m, at + 14 * xi));
                    FloatVector s13 = m13.sub(m23).sub(FloatVector.fromArray(S, m, at + 15 * xi));
                    s00 = s00.add(m10).add(m20);
                    s01 = s01.add(m11).add(m21);
                    s02 = s02.add(m12).add(m22);
                    s03 = s03.add(m13).add(m23);
                    s00.add(s01).add(s02).intoArray(cells, 0);
                    s01.sub(s02).sub(s03).intoArray(cells, L);
                    s10.add(s11).add(s12).intoArray(cells, 2 * L);
                    s11.sub(s12).sub(s13).intoArray(cells, 3 * L);
                    for (int k = 0; k < n; k++) {
                        int col = 2 * (tj + k);
                        boolean right = col + 1 < wo;
                        y[row0 + col] = cells[k];
                        if (right) y[row0 + col + 1] = cells[L + k];
                        if (second) {
                            y[row0 + wo + col] = cells[2 * L + k];
                            if (right) y[row0 + wo + col + 1] = cells[3 * L + k];
                        }
                    }
                }
            }
    }

    /**
     * Floats from one position ξ's transformed tiles to the next: one cache line more than they hold. At exactly
     * rows·tiles (64 KB for 64 channels and 256 tiles) the 16 streams a tile transform reads or writes all fell in
     * one L1 set, which holds 8 lines.
     */
    private static int plane(int rows, int tiles) { return rows * tiles + 16; }

    /** n rounded up to whole panels of the product's B ({@link PackedSgemm#NR} columns). */
    private static int panels(int n) { return (n + PackedSgemm.NR - 1) / PackedSgemm.NR * PackedSgemm.NR; }

    /**
     * Where a tile transform's whole vectors stop in the row of tw tiles at {@code out} of its plane: at tw (the last
     * vector runs past the row) where that vector ends inside this call's range of rows, [.., {@code rangeEnd}), which
     * the call writes later in ascending order, or where the range is the plane's last (its slack holds 16 floats,
     * a vector at most); else at the last whole vector, so as not to write where another thread writes.
     */
    private static int vectorEnd(int out, int tw, int rangeEnd, boolean last) {
        int top = tw - tw % L;
        return top == tw || last || out + top + L <= rangeEnd ? tw : top;
    }

    /** body over [0, n), on all threads when {@code inner}, else on the calling thread. */
    private static void spread(boolean inner, int n, Parallel.Range body) {
        if (inner) Parallel.forRange(n, 1, body);
        else body.run(0, n);
    }

    /** This thread's scratch arrays, grown to at least the given lengths. */
    private static float[][] scratch(int... lengths) {
        float[][] s = SCRATCH.get();
        for (int i = 0; i < lengths.length; i++) if (s[i].length < lengths[i]) s[i] = new float[lengths[i]];
        return s;
    }
}
