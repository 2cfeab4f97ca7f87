package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.NNOps;

import static io.github.knetj.autograd.Ops.permute;
import static io.github.knetj.autograd.Ops.reshape;

/**
 * y = concat(head₁, …, headₕ) Woᵀ with headᵢ = softmax(Qᵢ Kᵢᵀ/√d) Vᵢ and Q = x Wqᵀ, K = x Wkᵀ, V = x Wvᵀ:
 * multi-head self-attention on sequences x (B, T, D) (Vaswani et al. 2017), each head seeing d = D/h of the features.
 * <p>
 * With {@code causal} each position attends only to itself and earlier positions, as in a language model. The four
 * projections are {@link Linear} layers (D => D) with bias. {@code new Attention(64, 4, true)} prints as
 * {@code Attention(64, heads=4, causal)}.
 */
public record Attention(Linear q, Linear k, Linear v, Linear out, int heads, boolean causal) implements Layer {
    public Attention {
        int d = q.in();
        for (Linear l : new Linear[]{q, k, v, out})
            if (l.in() != d || l.out() != d) throw new IllegalArgumentException("Attention: every projection must be " + d + " => " + d + ", got " + l);
        if (heads < 1 || d % heads != 0) throw new IllegalArgumentException("Attention: the dimension " + d + " must split into " + heads + " heads evenly");
    }

    /** Single-head attention of dimension dim. */
    public Attention(int dim, boolean causal) { this(dim, 1, causal); }

    public Attention(int dim, int heads, boolean causal) {
        this(new Linear(dim, dim), new Linear(dim, dim), new Linear(dim, dim), new Linear(dim, dim), heads, causal);
    }

    public int dim() { return q.in(); }

    @Override public Value apply(Value x) {
        Check.rank(this, x, 3, "(B, T, " + dim() + ")");
        Check.dim(this, x, 2, dim(), "(B, T, " + dim() + ")");
        int b = x.shape().dim(0), t = x.shape().dim(1), d = dim(), dh = d / heads;
        Value rows = reshape(x, b * t, d);   // every position a row, so the projections are plain (N, D) linear maps
        Value y = NNOps.attention(split(q.apply(rows), b, t, dh), split(k.apply(rows), b, t, dh), split(v.apply(rows), b, t, dh), causal);
        Value merged = reshape(permute(reshape(y, b, heads, t, dh), 0, 2, 1, 3), b * t, d);
        return reshape(out.apply(merged), b, t, d);
    }

    /** (B·T, D) → (B·h, T, d): the heads become extra batch entries of the batched matmuls in attention. */
    private Value split(Value rows, int b, int t, int dh) {
        return reshape(permute(reshape(rows, b, t, heads, dh), 0, 2, 1, 3), b * heads, t, dh);
    }

    @Override public String toString() { return "Attention(" + dim() + (heads == 1 ? "" : ", heads=" + heads) + (causal ? ", causal" : "") + ")"; }
}
