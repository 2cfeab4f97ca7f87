package io.github.knetj.layers.transformer;

import io.github.knetj.autograd.AttentionOps;
import io.github.knetj.autograd.AttentionOps.Attended;
import io.github.knetj.autograd.AttentionOps.Options;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Ops;
import io.github.knetj.layers.Dropout;
import io.github.knetj.layers.Init;
import io.github.knetj.layers.Layer;
import io.github.knetj.layers.Linear;

/**
 * y = concat(head₁, …, headₕ) W_outᵀ + b_out with headᵢ = softmax(Qᵢ Kᵢᵀ/√(E/h) + M) Vᵢ and
 * [Q; K; V] = [query; key; value]·W_inᵀ + b_in: PyTorch's {@code nn.MultiheadAttention(E, h, batch_first=True)}
 * on (B, T, E) values ({@link AttentionOps#multiHeadAttention}).
 * <p>
 * The components are named as PyTorch's {@code state_dict} ({@code in_proj_weight}, {@code in_proj_bias},
 * {@code out_proj.weight}, {@code out_proj.bias} under {@link StateDict}), so its checkpoints load as they are.
 * Attention dropout acts while training (see {@link io.github.knetj.layers.TrainingMode}); masks are additive values
 * from {@link AttentionOps#causalMask}, {@link AttentionOps#keyPaddingMask} or {@link AttentionOps#booleanMask}.
 * {@code new MultiheadAttention(64, 4)} prints as {@code MultiheadAttention(64, heads=4)}.
 */
public record MultiheadAttention(Param in_proj_weight, Param in_proj_bias, Linear out_proj, int numHeads, Dropout dropout) implements Layer {
    public MultiheadAttention {
        int e = out_proj.in();
        if (out_proj.out() != e || !in_proj_weight.shape().equals(io.github.knetj.api.Shape.of(3 * e, e))
                || (in_proj_bias != null && !in_proj_bias.shape().equals(io.github.knetj.api.Shape.of(3 * e))))
            throw new IllegalArgumentException("MultiheadAttention: for E = " + e + " expected in_proj_weight (" + 3 * e + ", " + e + "), in_proj_bias ("
                    + 3 * e + ") and out_proj " + e + " => " + e + ", got " + in_proj_weight.shape() + ", " + (in_proj_bias == null ? null : in_proj_bias.shape()) + ", " + out_proj);
        if (numHeads < 1 || e % numHeads != 0) throw new IllegalArgumentException("MultiheadAttention: E = " + e + " must split into " + numHeads + " heads evenly");
    }

    /** PyTorch's initialisation: Xavier-uniform W_in, zero biases, no dropout. */
    public MultiheadAttention(int dim, int heads) { this(dim, heads, 0); }

    public MultiheadAttention(int dim, int heads, double dropout) {
        this(Init.param(3 * dim, dim), Init.param0(3 * dim), new Linear(Init.param(dim, dim), Init.param0(dim)), heads, new Dropout(dropout));
    }

    public int dim() { return out_proj.in(); }

    /** Self-attention of x (B, T, E) with no mask. */
    @Override public Value apply(Value x) { return apply(x, null); }

    /** Self-attention of x (B, T, E) under an additive mask (or null). */
    public Value apply(Value x, Value mask) { return attend(x, x, x, mask, false).y(); }

    /**
     * Attention of query (B, Tq, E) over key (B, Tk, E) and value (B, Tk, E) under an additive mask (or null);
     * the head-averaged weights (B, Tq, Tk) come back too when asked for.
     */
    public Attended attend(Value query, Value key, Value value, Value mask, boolean needWeights) {
        if (query.shape().rank() != 3 || query.shape().dim(2) != dim())
            throw new IllegalArgumentException(this + ": expected query (B, T, " + dim() + "), got " + query.shape());
        boolean training = dropout.isTraining() && dropout.p() > 0;
        Options o = new Options(numHeads, mask, training ? dropout.p() : 0, training ? Init.nextSeed() : 0, training, needWeights);
        return AttentionOps.multiHeadAttention(query, key, value, in_proj_weight, in_proj_bias, out_proj.w(), out_proj.b(), o);
    }

    /**
     * Causal self-attention of the newest positions x (B, Tn, E) over everything the cache holds plus themselves:
     * their keys and values are appended to the cache, and only the new queries are computed, as in autoregressive
     * sampling. Gives (B, Tn, E), what the last Tn rows of causal self-attention over the whole sequence give.
     */
    public Value attendCached(Value x, KVCache cache) {
        int e = dim();
        Value[] qkv = Ops.split(Ops.linear(x, in_proj_weight, in_proj_bias), -1, 3);
        cache.append(qkv[1], qkv[2]);
        int tn = x.shape().dim(1), tk = cache.length();
        Value mask = tn == 1 ? null : AttentionOps.causalMask(tn, tk, x);
        Attended a = AttentionOps.heads(qkv[0], cache.keys(), cache.values(), Options.of(numHeads, mask));
        return Ops.linear(a.y(), out_proj.w(), out_proj.b());
    }

    @Override public String toString() {
        return "MultiheadAttention(" + dim() + ", heads=" + numHeads + (dropout.p() == 0 ? "" : ", dropout=" + dropout.p()) + (in_proj_bias == null ? ", bias=false" : "") + ")";
    }
}
