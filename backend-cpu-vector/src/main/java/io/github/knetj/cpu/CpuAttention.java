package io.github.knetj.cpu;

import io.github.knetj.api.Backend;
import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.HostTensor;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.cpu.fast.Parallel;

import java.util.Arrays;

/**
 * Float32 self-attention ({@link io.github.knetj.api.Fused#selfAttention}) with every head read and written where it
 * lies: q, k and v are column blocks of the packed qkv (B, T, 3E), so the matrix products take them by offset and row
 * stride, y's heads land in their columns of (B, T, E), and the backward pass writes dq, dk and dv into their columns
 * of one (B, T, 3E) gradient. The composed form copies the heads out and back five times a pass (the slices, the
 * permutes, the merge and the concatenated gradient), about 5% of a GPT step, and scales and masks the scores in two
 * more passes over (B·h, T, T). Per (batch, head) the forward pass does the composed form's work in its order, with
 * the same kernels, so y and P match it; under a causal mask it skips only products and exponentials of keys that
 * weigh 0. The backward pass sums dk and dv over blocks of query rows, so they may differ from the composed form's
 * in the last bits.
 */
final class CpuAttention {
    /** Rows of dP a backward task holds at a time: (ROWS, T) floats, whatever the context length. */
    private static final int ROWS = 64;
    /** Keys are taken in whole chunks of 16, a multiple of every float vector's lane count (AVX-512 holds 16). */
    private static final int CHUNK = 16;

    private final Backend backend;
    private final Gemm gemm;
    private final Kernels k;

    CpuAttention(Backend backend, Kernels kernels) {
        this.backend = backend;
        this.gemm = kernels.gemm();
        this.k = kernels;
    }

    /** {y, P}: per (batch, head) P = softmax(c·q kᵀ + M) row by row, then y = P v. */
    Tensor[] forward(Tensor qkv, int heads, double scale, Tensor mask) {
        int[] bte = Checks.selfAttention("selfAttention", qkv, heads, mask);
        int b = bte[0], t = bte[1], e = bte[2], d = e / heads, ld = 3 * e;
        float[] x = Host.host(qkv).floats();
        HostTensor y = Host.uncleared(backend, Shape.of(b, t, e), DType.FLOAT32), p = Host.uncleared(backend, Shape.of(b * heads, t, t), DType.FLOAT32);
        float[] yf = y.floats(), pf = p.floats();
        MaskRows m = mask == null ? null : new MaskRows(Host.host(mask).floats(), mask.shape());
        Parallel.forRange(b * heads, Host.grain(4L * t * t * d), (s0, s1) -> {
            float[] q = new float[t * d];   // this head's c·q, as the composed form scales q before the product
            int[] seen = new int[t];
            for (int s = s0; s < s1; s++) {
                int bi = s / heads, h = s % heads, qo = bi * t * ld + h * d, po = s * t * t;
                for (int i = 0; i < t; i++) k.affine(x, qo + i * ld, q, i * d, d, scale, 0);
                for (int i = 0; i < t; i++) seen[i] = m == null ? t : whole(m.seen(bi, h, i, t), t);
                // Row blocks whose keys end early (a causal mask) multiply only the keys they see.
                for (int i0 = 0, rows; i0 < t; i0 += rows) {
                    rows = block(seen, i0, t);
                    int nb = widest(seen, i0, rows);
                    gemm.gemmInto(false, true, rows, nb, d, q, i0 * d, d, x, qo + e, ld, pf, po + i0 * t, t, false);
                    for (int i = i0, r = po + i0 * t; i < i0 + rows; i++, r += t) {
                        int n = seen[i];
                        if (m != null) k.binary(BinaryOp.ADD, pf, r, 1, m.data, m.row(bi, h, i), m.step, pf, r, n);
                        double max = k.max(pf, r, n), sum = k.expSum(pf, r, pf, r, n, max);
                        k.affine(pf, r, pf, r, n, 1 / sum, 0);
                        Arrays.fill(pf, r + n, r + t, 0f);   // keys masked with −∞: e^−∞ = 0
                    }
                    gemm.gemmInto(false, false, rows, d, nb, pf, po + i0 * t, t, x, qo + 2 * e, ld, yf, bi * t * e + h * d + i0 * e, e, false);
                }
            }
        });
        return new Tensor[] {y, p};
    }

    /**
     * dqkv: per (batch, head) and block of query rows, dP = dy vᵀ, dS = c·P ⊙ (dP − Σ dP ⊙ P), dq = dS k,
     * dk += dSᵀ q and dv += Pᵀ dy, each over the keys the block's rows see.
     */
    Tensor backward(Tensor dy, Tensor qkv, Tensor p, int heads, double scale) {
        int[] bte = Checks.selfAttention("selfAttentionBackward", qkv, heads, null);
        int b = bte[0], t = bte[1], e = bte[2], d = e / heads, ld = 3 * e;
        Checks.selfAttentionGradients(qkv, dy, p, b, t, e, heads);
        float[] x = Host.host(qkv).floats(), g = Host.host(dy).floats(), pf = Host.host(p).floats();
        HostTensor dx = Host.uncleared(backend, qkv.shape(), DType.FLOAT32);   // every column block is written below
        float[] df = dx.floats();
        Parallel.forRange(b * heads, Host.grain(8L * t * t * d), (s0, s1) -> {
            float[] ds = new float[Math.min(ROWS, t) * t];
            int[] seen = new int[t];
            for (int s = s0; s < s1; s++) {
                int bi = s / heads, h = s % heads, qo = bi * t * ld + h * d, ko = qo + e, vo = qo + 2 * e, go = bi * t * e + h * d, po = s * t * t;
                for (int i = 0; i < t; i++) seen[i] = zerosFrom(pf, po + i * t, t);   // dS = P ⊙ (…) is 0 where P is
                for (int j = 0; j < t; j++) {   // dk and dv gather every row block's share
                    Arrays.fill(df, ko + j * ld, ko + j * ld + d, 0f);
                    Arrays.fill(df, vo + j * ld, vo + j * ld + d, 0f);
                }
                for (int i0 = 0, rows; i0 < t; i0 += rows) {
                    rows = Math.min(ROWS, block(seen, i0, t));
                    int nb = widest(seen, i0, rows);
                    gemm.gemmInto(false, true, rows, nb, d, g, go + i0 * e, e, x, vo, ld, ds, 0, t, false);
                    for (int i = 0; i < rows; i++) {
                        int r = po + (i0 + i) * t, n = seen[i0 + i];
                        k.softmaxBackward(pf, r, ds, i * t, ds, i * t, n);
                        k.affine(ds, i * t, ds, i * t, n, scale, 0);
                        Arrays.fill(ds, i * t + n, i * t + nb, 0f);
                    }
                    gemm.gemmInto(false, false, rows, d, nb, ds, 0, t, x, ko, ld, df, qo + i0 * ld, ld, false);
                    gemm.gemm(true, false, nb, d, rows, ds, 0, t, x, qo + i0 * ld, ld, df, ko, ld, false);
                    gemm.gemm(true, false, nb, d, rows, pf, po + i0 * t, t, g, go + i0 * e, e, df, vo, ld, false);
                }
            }
        });
        return dx;
    }

    /**
     * The rows of the block that starts at row i0: all the rest when they see as many keys as row i0 (no mask, a
     * padding mask), else {@link #CHUNK} rows (a causal mask), so that each block multiplies only the keys its rows see.
     */
    private static int block(int[] seen, int i0, int t) {
        for (int i = i0 + 1; i < t; i++) if (seen[i] != seen[i0]) return Math.min(CHUNK, t - i0);
        return t - i0;
    }

    /** The most keys any row of [i0, i0+rows) sees. */
    private static int widest(int[] seen, int i0, int rows) {
        int nb = 0;
        for (int i = i0; i < i0 + rows; i++) nb = Math.max(nb, seen[i]);
        return nb;
    }

    /**
     * n keys rounded up to whole {@link #CHUNK}s (at most t): the keys past n are masked with −∞ and weigh 0, so
     * taking a few of them along leaves every result as it is, while each row's softmax runs on whole vectors. A
     * ragged n left up to 15 keys a row to the scalar tail, whose exp is a double {@code Math.exp} call: on a causal
     * mask that was a fifth of the exponentials and most of their time.
     */
    private static int whole(int n, int t) { return Math.min(t, (n + CHUNK - 1) / CHUNK * CHUNK); }

    /**
     * The length of row [r, r+t) of P up to its trailing run of zeros, in whole {@link #CHUNK}s (at most t): dS is 0
     * wherever P is, exactly, so the backward pass skips them. Whole chunks are tested at once (bits ORed, −0 counted
     * as 0), instead of one float at a time from the end, which was 8% of the attention's backward time.
     */
    private static int zerosFrom(float[] pf, int r, int t) {
        int n = t;
        while (n > 0) {
            int from = (n - 1) / CHUNK * CHUNK, bits = 0;
            for (int j = r + from; j < r + n; j++) bits |= Float.floatToRawIntBits(pf[j]) & 0x7fffffff;
            if (bits != 0) break;
            n = from;
        }
        return n;
    }

    /**
     * Where row (batch, head, query) of an additive mask broadcast to (B, h, T, T) starts, and its step along the keys
     * (0 when the mask holds one value per row).
     */
    private record MaskRows(float[] data, int[] strides, int step) {
        MaskRows(float[] data, Shape shape) { this(data, strides(shape), shape.rank() == 0 || shape.dim(-1) == 1 ? 0 : 1); }

        int row(int bi, int h, int i) { return bi * strides[0] + h * strides[1] + i * strides[2]; }

        /**
         * The keys of row (bi, h, i) before its last run of −∞ (a causal mask's diagonal): the rest get weight 0, and
         * neither their scores nor their exponentials need computing. All t when every key is masked, whose weights are
         * then NaN, as PyTorch's.
         */
        int seen(int bi, int h, int i, int t) {
            if (step == 0) return t;
            int r = row(bi, h, i), n = t;
            while (n > 0 && data[r + n - 1] == Float.NEGATIVE_INFINITY) n--;
            return n == 0 ? t : n;
        }

        /** The strides of (B, h, T) in the mask's own layout, 0 along the axes it broadcasts. */
        private static int[] strides(Shape shape) {
            int[] dims = new int[4];
            for (int i = 0; i < 4; i++) dims[i] = i < 4 - shape.rank() ? 1 : shape.dim(i - (4 - shape.rank()));
            int[] out = new int[3];
            for (int i = 2, stride = dims[3]; i >= 0; stride *= dims[i], i--) out[i] = dims[i] == 1 ? 0 : stride;
            return out;
        }
    }
}
