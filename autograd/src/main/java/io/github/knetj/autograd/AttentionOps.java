package io.github.knetj.autograd;

import io.github.knetj.api.Checks;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Value;

import static io.github.knetj.autograd.AutoGrad.record;
import static io.github.knetj.autograd.Ops.*;

/**
 * Multi-head attention composed of existing ops (so it runs, and differentiates to any order, on every backend):
 * y = concat(head₁, …, headₕ) Woᵀ + bo with headᵢ = softmax(Qᵢ Kᵢᵀ/√d + M) Vᵢ, as PyTorch's
 * {@code nn.MultiheadAttention} with {@code batch_first=True}. Masks are additive constants M (0 where a key may be
 * seen, −∞ where not) of any shape that broadcasts to the scores (B, h, Tq, Tk); {@link #causalMask},
 * {@link #keyPaddingMask} and {@link #booleanMask} build them, and {@code add} combines them. A query whose every key
 * is masked gets NaN, as in PyTorch. Self-attention with constant masks, no dropout and no weights asked for is one
 * primitive, {@link #selfAttention}, which a backend may run with its heads read in place.
 */
public final class AttentionOps {
    private AttentionOps() {}

    /**
     * What attention gives back: y (B, Tq, E) and, when asked for, the attention weights averaged over the heads
     * (B, Tq, Tk), as PyTorch's {@code need_weights=True, average_attn_weights=True}; else null.
     *
     * @param y       the attended values
     * @param weights the head-averaged weights, or null
     */
    public record Attended(Value y, Value weights) {}

    /**
     * Heads and masks of an attention call: the number of heads, an additive mask (or null), dropout on the weights
     * with its seed (acting only while training), and whether to return the averaged weights.
     *
     * @param heads       h, which must divide the embedding size
     * @param mask        additive mask broadcastable to (B, h, Tq, Tk), or null
     * @param dropout     probability of zeroing an attention weight while training
     * @param seed        dropout seed
     * @param training    whether dropout acts
     * @param needWeights whether {@link Attended#weights()} is computed
     */
    public record Options(int heads, Value mask, double dropout, long seed, boolean training, boolean needWeights) {
        public Options {
            if (heads < 1) throw new IllegalArgumentException("attention: heads must be ≥ 1, got " + heads);
            if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("attention: dropout must be in [0, 1), got " + dropout);
        }

        /** h heads with a mask (or null), no dropout, no weights. */
        public static Options of(int heads, Value mask) { return new Options(heads, mask, 0, 0, false, false); }

        public Options withWeights() { return new Options(heads, mask, dropout, seed, training, true); }
    }

    // ---- masks -----------------------------------------------------------------------------------------------------

    /**
     * (Tq, Tk): −∞ where key j lies after query i, the queries being the last Tq of the Tk positions (so Tq = Tk is
     * the usual lower triangle, and one query over Tk cached keys sees them all).
     */
    public static Value causalMask(int tq, int tk, Value like) {
        if (tq < 1 || tk < tq) throw new IllegalArgumentException("causalMask: expected 1 ≤ Tq ≤ Tk, got Tq=" + tq + " Tk=" + tk);
        double[] m = new double[tq * tk];
        for (int i = 0, offset = tk - tq; i < tq; i++) for (int j = i + offset + 1; j < tk; j++) m[i * tk + j] = Double.NEGATIVE_INFINITY;
        return constant(m, Shape.of(tq, tk), like);
    }

    /** (B, 1, 1, Tk) from B·Tk flags, row-major: a non-zero flag marks a padded key that no query sees (PyTorch's True). */
    public static Value keyPaddingMask(int[] padded, int batch, int tk, Value like) {
        if (padded.length != batch * tk)
            throw new IllegalArgumentException("keyPaddingMask: expected B·Tk = " + batch + "·" + tk + " flags, got " + padded.length);
        double[] m = new double[padded.length];
        for (int i = 0; i < m.length; i++) if (padded[i] != 0) m[i] = Double.NEGATIVE_INFINITY;
        return constant(m, Shape.of(batch, 1, 1, tk), like);
    }

    /** A boolean attention mask of the given shape (broadcastable to (B, h, Tq, Tk)): true forbids, as in PyTorch. */
    public static Value booleanMask(boolean[] forbidden, Shape shape, Value like) {
        if (forbidden.length != shape.sizeInt())
            throw new IllegalArgumentException("booleanMask: " + forbidden.length + " flags do not fill shape " + shape);
        double[] m = new double[forbidden.length];
        for (int i = 0; i < m.length; i++) if (forbidden[i]) m[i] = Double.NEGATIVE_INFINITY;
        return constant(m, shape, like);
    }

    private static Value constant(double[] data, Shape shape, Value like) {
        return new Value(like.backend().memory().fromArray(data, shape, like.dtype()));
    }

    // ---- attention -------------------------------------------------------------------------------------------------

    /**
     * Attention over already projected q (B, Tq, E), k (B, Tk, E), v (B, Tk, Ev): the features split into h heads,
     * softmax(qᵢ kᵢᵀ/√(E/h) + M) vᵢ per head, the heads joined back to (B, Tq, Ev).
     */
    public static Attended heads(Value q, Value k, Value v, Options o) {
        int h = o.heads();
        if (q.shape().rank() != 3 || k.shape().rank() != 3 || v.shape().rank() != 3 || k.shape().dim(0) != q.shape().dim(0) || v.shape().dim(0) != q.shape().dim(0)
                || k.shape().dim(2) != q.shape().dim(2) || v.shape().dim(1) != k.shape().dim(1) || q.shape().dim(2) % h != 0 || v.shape().dim(2) % h != 0)
            throw new IllegalArgumentException("attention: expected q (B, Tq, E), k (B, Tk, E), v (B, Tk, Ev) with E and Ev divisible by "
                    + h + " heads, got q " + q.shape() + ", k " + k.shape() + ", v " + v.shape());
        int b = q.shape().dim(0), tq = q.shape().dim(1), tk = k.shape().dim(1), e = q.shape().dim(2);
        // q is scaled before the product, as PyTorch's multi_head_attention_forward does: a pass over (B, Tq, E) rather
        // than over the (B·h, Tq, Tk) scores, twice as large in the GPT.
        Value scores = matmul(splitHeads(scale(q, 1 / Math.sqrt(e / h)), h), splitHeads(k, h), false, true);   // (B·h, Tq, Tk)
        if (o.mask() != null) {
            Shape full = Shape.of(b, h, tq, tk);
            if (!broadcasts(o.mask().shape(), full))
                throw new IllegalArgumentException("attention: the mask " + o.mask().shape() + " does not broadcast to the scores (B, h, Tq, Tk) = " + full);
            scores = reshape(add(reshape(scores, b, h, tq, tk), o.mask()), b * h, tq, tk);
        }
        Value w = NNOps.softmax(scores, -1);
        Value averaged = o.needWeights() ? mean(reshape(w, b, h, tq, tk), false, 1) : null;
        Value y = matmul(NNOps.dropout(w, o.dropout(), o.seed(), o.training()), splitHeads(v, h));   // (B·h, Tq, Ev/h)
        return new Attended(mergeHeads(y, b, h), averaged);
    }

    /**
     * PyTorch's multi-head attention with a packed in-projection: [Q; K; V] = [query Wqᵀ; key Wkᵀ; value Wvᵀ] + b_in
     * with W_in = [Wq; Wk; Wv] (3E, E) and b_in (3E) (or null), then {@link #heads}, then the out-projection
     * W_out (E, E), b_out (E) (or null). When query, key and value are the same value the three projections are one
     * matrix product.
     */
    public static Attended multiHeadAttention(Value query, Value key, Value value, Value inW, Value inB, Value outW, Value outB, Options o) {
        if (query.shape().rank() != 3 || key.shape().rank() != 3 || value.shape().rank() != 3 || key.shape().dim(2) != query.shape().dim(2)
                || !key.shape().equals(value.shape()) || key.shape().dim(0) != query.shape().dim(0))
            throw new IllegalArgumentException("multiHeadAttention: expected query (B, Tq, E), key and value (B, Tk, E), got query " + query.shape()
                    + ", key " + key.shape() + ", value " + value.shape());
        int e = query.shape().dim(-1);
        if (inW.shape().rank() != 2 || inW.shape().dim(0) != 3 * e || inW.shape().dim(1) != e || (inB != null && !inB.shape().equals(Shape.of(3 * e)))
                || !outW.shape().equals(Shape.of(e, e)) || (outB != null && !outB.shape().equals(Shape.of(e))))
            throw new IllegalArgumentException("multiHeadAttention: for E = " + e + " expected in_proj_weight (" + 3 * e + ", " + e + "), in_proj_bias ("
                    + 3 * e + "), out_proj weight (" + e + ", " + e + "), bias (" + e + "); got " + inW.shape() + ", " + (inB == null ? null : inB.shape())
                    + ", " + outW.shape() + ", " + (outB == null ? null : outB.shape()));
        Value q, k, v;
        if (query == key && key == value) {
            Value packed = linear(query, inW, inB);
            boolean dropping = o.training() && o.dropout() > 0;
            if (!dropping && !o.needWeights() && (o.mask() == null || !o.mask().tracked()))
                return new Attended(linear(selfAttention(packed, o.heads(), o.mask()), outW, outB), null);
            Value[] qkv = Ops.split(packed, -1, 3);
            q = qkv[0]; k = qkv[1]; v = qkv[2];
        } else {
            Value[] w = Ops.split(inW, 0, 3), bias = inB == null ? new Value[3] : Ops.split(inB, 0, 3);
            q = linear(query, w[0], bias[0]);
            k = linear(key, w[1], bias[1]);
            v = linear(value, w[2], bias[2]);
        }
        Attended a = heads(q, k, v, o);
        return new Attended(linear(a.y(), outW, outB), a.weights());
    }

    /**
     * {@link #heads} of q, k and v packed side by side in qkv (B, T, 3E), as PyTorch's in-projection makes them, under a
     * constant additive mask (or null): one primitive ({@link io.github.knetj.api.Fused#selfAttention}). Its gradient
     * is the backend's fused backward pass; under {@code diff} it is composed again from differentiable ops, so that it
     * can be differentiated once more.
     */
    public static Value selfAttention(Value qkv, int heads, Value mask) {
        int e = Checks.selfAttention("selfAttention", qkv.data(), heads, mask == null ? null : mask.data())[2];
        double c = 1 / Math.sqrt(e / heads);
        Tensor[] out = qkv.backend().fused().selfAttention(qkv.data(), heads, c, mask == null ? null : mask.data());
        Tensor p = out[1];
        return record("selfAttention", out[0], (g, y) -> new Value[]{AutoGrad.recording() ? selfAttentionGradient(g, qkv, heads, c, mask)
                : new Value(qkv.backend().fused().selfAttentionBackward(g.data(), qkv.data(), p, heads, c))}, qkv);
    }

    /** selfAttention's gradient as differentiable ops (see {@link io.github.knetj.api.Fused#selfAttentionBackward}). */
    private static Value selfAttentionGradient(Value g, Value qkv, int h, double c, Value mask) {
        int b = qkv.shape().dim(0), t = qkv.shape().dim(1);
        Value[] s = Ops.split(qkv, -1, 3);
        Value q = splitHeads(s[0], h), k = splitHeads(s[1], h), v = splitHeads(s[2], h), gh = splitHeads(g, h);
        Value scores = matmul(scale(q, c), k, false, true);
        if (mask != null) scores = reshape(add(reshape(scores, b, h, t, t), mask), b * h, t, t);
        Value p = NNOps.softmax(scores, -1), dp = matmul(gh, v, false, true);
        Value ds = scale(mul(p, sub(dp, sum(mul(dp, p), true, -1))), c);
        return concat(2, mergeHeads(matmul(ds, k), b, h), mergeHeads(matmul(ds, q, true, false), b, h), mergeHeads(matmul(p, gh, true, false), b, h));
    }

    /** (B, T, E) → (B·h, T, E/h): each head becomes a batch entry of the batched matrix products. */
    private static Value splitHeads(Value x, int h) {
        int b = x.shape().dim(0), t = x.shape().dim(1), e = x.shape().dim(2);
        return reshape(permute(reshape(x, b, t, h, e / h), 0, 2, 1, 3), b * h, t, e / h);
    }

    /** (B·h, T, d) → (B, T, h·d). */
    private static Value mergeHeads(Value y, int b, int h) {
        int t = y.shape().dim(1), d = y.shape().dim(2);
        return reshape(permute(reshape(y, b, h, t, d), 0, 2, 1, 3), b, t, h * d);
    }

    private static boolean broadcasts(Shape s, Shape to) {
        if (s.rank() > to.rank()) return false;
        for (int i = 1; i <= s.rank(); i++) if (s.dim(-i) != 1 && s.dim(-i) != to.dim(-i)) return false;
        return true;
    }
}
