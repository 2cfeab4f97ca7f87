package io.github.knetj.api;

/**
 * The default of {@link Fused#selfAttention} and its backward pass, written with the primitives: the packed
 * projections are sliced into q, k and v, each head becomes a batch entry of the batched products (a permute), and
 * the heads are merged back at the end (another), as {@code torch.nn.functional.multi_head_attention_forward} does.
 */
final class ComposedAttention {
    private ComposedAttention() {}

    /** {y (B, T, E), P (B·h, T, T)}: q is scaled before the product, as PyTorch scales it. */
    static Tensor[] forward(Backend be, Tensor qkv, int heads, double scale, Tensor mask) {
        int[] bte = Checks.selfAttention("selfAttention", qkv, heads, mask);
        int b = bte[0], t = bte[1], e = bte[2];
        Layout l = be.layout();
        Tensor q = split(be, be.fused().affine(l.slice(qkv, 2, 0, e), scale, 0), heads);
        Tensor k = split(be, l.slice(qkv, 2, e, 2 * e), heads), v = split(be, l.slice(qkv, 2, 2 * e, 3 * e), heads);
        Tensor scores = be.linalg().matmul(q, k, false, true);
        if (mask != null) scores = l.reshape(be.elementwise().binary(BinaryOp.ADD, l.reshape(scores, Shape.of(b, heads, t, t)), mask), Shape.of(b * heads, t, t));
        Tensor p = be.fused().softmax(scores, -1);
        return new Tensor[] {merge(be, be.linalg().matmul(p, v), b, heads), p};
    }

    /**
     * dqkv (B, T, 3E) from dy (B, T, E), with dP = dy vᵀ, dS = c·P ⊙ (dP − Σⱼ dP ⊙ P), dq = dS k, dk = dSᵀ q and
     * dv = Pᵀ dy per head (c the scale; dSᵀ q is the gradient of the scaled q's product, c folded into dS).
     */
    static Tensor backward(Backend be, Tensor dy, Tensor qkv, Tensor p, int heads, double scale) {
        int[] bte = Checks.selfAttention("selfAttentionBackward", qkv, heads, null);
        int b = bte[0], t = bte[1], e = bte[2];
        Checks.selfAttentionGradients(qkv, dy, p, b, t, e, heads);
        Layout l = be.layout();
        Linalg m = be.linalg();
        Tensor q = split(be, l.slice(qkv, 2, 0, e), heads), k = split(be, l.slice(qkv, 2, e, 2 * e), heads), v = split(be, l.slice(qkv, 2, 2 * e, 3 * e), heads);
        Tensor g = split(be, dy, heads);
        Tensor ds = be.fused().affine(be.fused().softmaxBackward(p, m.matmul(g, v, false, true), -1), scale, 0);
        return l.concat(2, merge(be, m.matmul(ds, k), b, heads), merge(be, m.matmul(ds, q, true, false), b, heads), merge(be, m.matmul(p, g, true, false), b, heads));
    }

    /** (B, T, h·d) → (B·h, T, d): each head a batch entry. */
    private static Tensor split(Backend be, Tensor x, int heads) {
        Layout l = be.layout();
        int b = x.shape().dim(0), t = x.shape().dim(1), d = x.shape().dim(2) / heads;
        return l.reshape(l.permute(l.reshape(x, Shape.of(b, t, heads, d)), 0, 2, 1, 3), Shape.of(b * heads, t, d));
    }

    /** (B·h, T, d) → (B, T, h·d). */
    private static Tensor merge(Backend be, Tensor y, int b, int heads) {
        Layout l = be.layout();
        int t = y.shape().dim(1), d = y.shape().dim(2);
        return l.reshape(l.permute(l.reshape(y, Shape.of(b, heads, t, d)), 0, 2, 1, 3), Shape.of(b, t, heads * d));
    }
}
