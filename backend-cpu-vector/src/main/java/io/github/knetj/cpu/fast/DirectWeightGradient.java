package io.github.knetj.cpu.fast;

import io.github.knetj.cpu.Im2col;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 weight gradient of a convolution with few output channels, computed directly instead of as products
 * with packed column matrices: dW[o, c, i, j] = Σ_n Σ_oh Σ_ow dy[n, o, oh, ow] · x[n, c, oh + i·dh, ow + j·dw].
 *
 * <p>Why: as a matrix product, each image's column matrix (C·kh·kw × Ho·Wo) must be packed element by element, and
 * with few output channels (LeNet's conv1: 20) there are only o/(2·L) multiply-add cycles per packed element, so
 * packing took about two thirds of the time. Here the vectors run along an image's whole output plane (Ho·Wo cells,
 * contiguous in dy): for each kernel column j the image's channel is first copied into a plane of its Wo columns
 * starting at j, H rows of Wo floats, in which kernel row i's inputs for every output cell are one contiguous run
 * starting at row i·dh. Each step then loads 4 + 5 full-width vectors for 20 multiply-adds (four output channels by
 * five kernel columns) into register accumulators. Reading the image in place instead, the vectors could only run
 * along one output row; LeNet's rows of 24 fit 256-bit vectors but not 512-bit ones, and those ran at half the
 * machine's multiply-add rate.
 *
 * <p>The images are summed in a fixed number of groups, each group's sums in one order (image, cell; each vector lane
 * its own chain, lanes added in order), and the groups added in order, so the result does not depend on the thread
 * count. A task is one group and one input channel: the group's planes (LeNet's conv1: 13 KB an image) and the four
 * output channels of dy being summed stay in L1 while the kernel rows and columns go over them.
 */
public final class DirectWeightGradient {
    private static final VectorSpecies<Float> S = PackedSgemm.S;
    private static final int L = S.length(), JB = 5, OB = 4, BLOCK = OB * JB * L;
    /** Above this many output channels the packed products win: packing costs less per multiply-add. */
    static final int MAX_OUT = 32;
    /** Images are summed in this many fixed groups (fewer for smaller batches). */
    private static final int GROUPS = 8;
    private static final ThreadLocal<float[]> PLANES = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<float[]> SUMS = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[0]);

    private DirectWeightGradient() {}

    /**
     * Whether this kernel applies: stride 1, no padding (callers pad first), and output planes of whole vectors. A
     * strided convolution's output cells do not read one contiguous run of a plane.
     */
    public static boolean applies(Im2col.Geometry g, int outChannels) {
        return outChannels <= MAX_OUT && g.s().strideH() == 1 && g.s().strideW() == 1 && g.s().padH() == 0 && g.s().padW() == 0
                && g.outH() * g.outW() % L == 0;
    }

    /**
     * dw (O, C, kh, kw) = the weight gradient over {@code batch} images; x holds the images (C, H, W) one after
     * another at {@code image} floats each (already padded when the convolution pads), dy (batch, O, Ho, Wo).
     */
    public static void compute(Im2col.Geometry g, int batch, int outChannels, float[] x, int image, float[] dy, float[] dw) {
        compute(g, batch, outChannels, x, image, dy, dw, null);
    }

    /**
     * As {@link #compute(Im2col.Geometry, int, int, float[], int, float[], float[])}, and when {@code db} is not null
     * the bias gradient too, db[o] = Σ_n Σ_cells dy[n, o, cell], summed as the tasks of channel 0 read dy (in the same
     * groups), instead of in a pass of its own over dy (LeNet's conv1: 0.21 ms a step).
     */
    public static void compute(Im2col.Geometry g, int batch, int outChannels, float[] x, int image, float[] dy, float[] dw, float[] db) {
        int channels = g.channels(), kk = g.kh() * g.kw(), size = outChannels * channels * kk, groups = Math.max(1, Math.min(batch, GROUPS));
        // Each group's slice: the weight gradient, then the bias gradient.
        int slice = size + outChannels;
        double[] partial = new double[groups * slice];
        Parallel.forEach(groups * channels, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int gi = t / channels, c = t % channels;
                group(g, gi * batch / groups, (gi + 1) * batch / groups, outChannels, c, x, image, dy, partial, gi * slice, db != null && c == 0);
            }
        });
        for (int e = 0; e < slice; e++) {
            if (e >= size && db == null) break;
            double s = 0;
            for (int gi = 0; gi < groups; gi++) s += partial[gi * slice + e];
            if (e < size) dw[e] = (float) s;
            else db[e - size] = (float) s;
        }
    }

    /**
     * Input channel c's weight gradient over images [first, end), into partial[at + (o·C + c)·kk + i·kw + j], and with
     * {@code bias} the bias gradient into partial[at + O·C·kk + o].
     */
    private static void group(Im2col.Geometry g, int first, int end, int outChannels, int c, float[] x, int image, float[] dy,
                              double[] partial, int at, boolean bias) {
        int h = g.height(), w = g.width(), wo = g.outW(), kh = g.kh(), kw = g.kw(), cells = g.outH() * wo, plane = h * wo;
        int images = end - first, jBlocks = (kw + JB - 1) / JB, dh = g.s().dilationH(), dwl = g.s().dilationW();
        // Aligned as packed panels are (a 4 MB buffer a thread): LeNet's planes of 672 floats then start on a cache
        // line, and the even kernel rows' loads stay within one (0.61 -> 0.595 ms on one thread).
        float[] planes = PackedSgemm.panelBuffer(PLANES, images * kw * plane);
        int pb = PackedSgemm.PANEL_BASE;
        for (int n = 0; n < images; n++) {
            int src = (first + n) * image + c * h * w;
            for (int j = 0; j < kw; j++) {
                int dst = pb + (n * kw + j) * plane;
                for (int r = 0; r < h; r++) System.arraycopy(x, src + r * w + j * dwl, planes, dst + r * wo, wo);
            }
        }
        float[] sums = buffer(SUMS, kh * jBlocks * BLOCK);
        // With the bias: each output channel's dy, one vector of lane sums across the group's images.
        float[] lanes = bias ? buffer(LANES, outChannels * L) : null;
        if (bias) java.util.Arrays.fill(lanes, 0, outChannels * L, 0f);
        for (int o0 = 0; o0 < outChannels; o0 += OB) {
            java.util.Arrays.fill(sums, 0f);
            int o1 = Math.min(o0 + 1, outChannels - 1), o2 = Math.min(o0 + 2, outChannels - 1), o3 = Math.min(o0 + 3, outChannels - 1);
            for (int n = 0; n < images; n++) {
                int yn = (first + n) * outChannels * cells;
                if (bias) for (int o = o0; o < Math.min(o0 + OB, outChannels); o++) addLanes(dy, yn + o * cells, cells, lanes, o * L);
                for (int i = 0; i < kh; i++) {
                    for (int jb = 0; jb < jBlocks; jb++) {
                        int j0 = jb * JB, jn = Math.min(JB, kw - j0), p = pb + n * kw * plane + i * dh * wo;
                        // A missing kernel column re-reads column j0 and is never stored.
                        block(planes, p + j0 * plane, p + (j0 + Math.min(1, jn - 1)) * plane, p + (j0 + Math.min(2, jn - 1)) * plane,
                                p + (j0 + Math.min(3, jn - 1)) * plane, p + (j0 + Math.min(4, jn - 1)) * plane,
                                dy, yn + o0 * cells, yn + o1 * cells, yn + o2 * cells, yn + o3 * cells, cells, sums, (i * jBlocks + jb) * BLOCK);
                    }
                }
            }
            for (int i = 0; i < kh; i++) {
                for (int jb = 0; jb < jBlocks; jb++) {
                    int j0 = jb * JB, jn = Math.min(JB, kw - j0), from = (i * jBlocks + jb) * BLOCK;
                    for (int k = 0; k < OB && o0 + k < outChannels; k++) {
                        for (int jj = 0; jj < jn; jj++) {
                            double s = 0;
                            for (int l = 0, v = from + (k * JB + jj) * L; l < L; l++) s += sums[v + l];
                            partial[at + ((o0 + k) * g.channels() + c) * kh * kw + i * kw + j0 + jj] = s;
                        }
                    }
                }
            }
        }
        if (bias) for (int o = 0; o < outChannels; o++) {
            double s = 0;
            for (int l = 0; l < L; l++) s += lanes[o * L + l];
            partial[at + outChannels * g.channels() * kh * kw + o] = s;
        }
    }

    /**
     * Adds to the 20 vectors of sums at sums[s ..] (four output channels by five kernel columns) the products over
     * {@code cells} consecutive floats of x from x0 .. x4 and of dy from y0 .. y3. The sums come in and go out through
     * memory, never as arguments: a call C2 leaves uninlined boxes the vectors it takes or returns.
     */
    private static void block(float[] x, int x0, int x1, int x2, int x3, int x4, float[] dy, int y0, int y1, int y2, int y3, int cells,
                              float[] sums, int s) {
        FloatVector a00 = FloatVector.fromArray(S, sums, s), a01 = FloatVector.fromArray(S, sums, s + L);
        FloatVector a02 = FloatVector.fromArray(S, sums, s + 2 * L), a03 = FloatVector.fromArray(S, sums, s + 3 * L);
        FloatVector a04 = FloatVector.fromArray(S, sums, s + 4 * L), a10 = FloatVector.fromArray(S, sums, s + 5 * L);
        FloatVector a11 = FloatVector.fromArray(S, sums, s + 6 * L), a12 = FloatVector.fromArray(S, sums, s + 7 * L);
        FloatVector a13 = FloatVector.fromArray(S, sums, s + 8 * L), a14 = FloatVector.fromArray(S, sums, s + 9 * L);
        FloatVector a20 = FloatVector.fromArray(S, sums, s + 10 * L), a21 = FloatVector.fromArray(S, sums, s + 11 * L);
        FloatVector a22 = FloatVector.fromArray(S, sums, s + 12 * L), a23 = FloatVector.fromArray(S, sums, s + 13 * L);
        FloatVector a24 = FloatVector.fromArray(S, sums, s + 14 * L), a30 = FloatVector.fromArray(S, sums, s + 15 * L);
        FloatVector a31 = FloatVector.fromArray(S, sums, s + 16 * L), a32 = FloatVector.fromArray(S, sums, s + 17 * L);
        FloatVector a33 = FloatVector.fromArray(S, sums, s + 18 * L), a34 = FloatVector.fromArray(S, sums, s + 19 * L);
        for (int q = 0; q < cells; q += L) {
            FloatVector v0 = FloatVector.fromArray(S, x, x0 + q), v1 = FloatVector.fromArray(S, x, x1 + q);
            FloatVector v2 = FloatVector.fromArray(S, x, x2 + q), v3 = FloatVector.fromArray(S, x, x3 + q);
            FloatVector v4 = FloatVector.fromArray(S, x, x4 + q);
            FloatVector g0 = FloatVector.fromArray(S, dy, y0 + q);
            a00 = g0.fma(v0, a00);
            a01 = g0.fma(v1, a01);
            a02 = g0.fma(v2, a02);
            a03 = g0.fma(v3, a03);
            a04 = g0.fma(v4, a04);
            FloatVector g1 = FloatVector.fromArray(S, dy, y1 + q);
            a10 = g1.fma(v0, a10);
            a11 = g1.fma(v1, a11);
            a12 = g1.fma(v2, a12);
            a13 = g1.fma(v3, a13);
            a14 = g1.fma(v4, a14);
            FloatVector g2 = FloatVector.fromArray(S, dy, y2 + q);
            a20 = g2.fma(v0, a20);
            a21 = g2.fma(v1, a21);
            a22 = g2.fma(v2, a22);
            a23 = g2.fma(v3, a23);
            a24 = g2.fma(v4, a24);
            FloatVector g3 = FloatVector.fromArray(S, dy, y3 + q);
            a30 = g3.fma(v0, a30);
            a31 = g3.fma(v1, a31);
            a32 = g3.fma(v2, a32);
            a33 = g3.fma(v3, a33);
            a34 = g3.fma(v4, a34);
        }
        a00.intoArray(sums, s); a01.intoArray(sums, s + L); a02.intoArray(sums, s + 2 * L); a03.intoArray(sums, s + 3 * L);
        a04.intoArray(sums, s + 4 * L); a10.intoArray(sums, s + 5 * L); a11.intoArray(sums, s + 6 * L); a12.intoArray(sums, s + 7 * L);
        a13.intoArray(sums, s + 8 * L); a14.intoArray(sums, s + 9 * L); a20.intoArray(sums, s + 10 * L); a21.intoArray(sums, s + 11 * L);
        a22.intoArray(sums, s + 12 * L); a23.intoArray(sums, s + 13 * L); a24.intoArray(sums, s + 14 * L); a30.intoArray(sums, s + 15 * L);
        a31.intoArray(sums, s + 16 * L); a32.intoArray(sums, s + 17 * L); a33.intoArray(sums, s + 18 * L); a34.intoArray(sums, s + 19 * L);
    }

    /** lanes[at ..] (one vector) += the {@code cells} floats of dy from {@code from}, a whole number of vectors. */
    private static void addLanes(float[] dy, int from, int cells, float[] lanes, int at) {
        FloatVector v = FloatVector.fromArray(S, lanes, at);
        // The loaded vector is the receiver, the running sum the argument (see the package doc): written v.add(load),
        // this loop ran the Vector API's lane-by-lane fallback in about a fifth of LeNet runs.
        for (int q = 0; q < cells; q += L) v = FloatVector.fromArray(S, dy, from + q).add(v);
        v.intoArray(lanes, at);
    }

    /** The calling thread's buffer in {@code local}, grown to at least n floats. */
    private static float[] buffer(ThreadLocal<float[]> local, int n) {
        float[] b = local.get();
        if (b.length < n) local.set(b = new float[n]);
        return b;
    }
}
