package io.github.knetj.examples.gpt;

import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AttentionOps;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.autograd.Ops;
import io.github.knetj.layers.Dropout;
import io.github.knetj.layers.Embed;
import io.github.knetj.layers.GELU;
import io.github.knetj.layers.Init;
import io.github.knetj.layers.Layer;
import io.github.knetj.layers.LayerNorm;
import io.github.knetj.layers.Linear;
import io.github.knetj.layers.transformer.KVCache;
import io.github.knetj.layers.transformer.MultiheadAttention;
import io.github.knetj.layers.transformer.PositionEmbedding;
import io.github.knetj.layers.transformer.TiedOutput;
import io.github.knetj.layers.transformer.TransformerEncoderLayer;

import java.util.ArrayList;
import java.util.List;

/**
 * logits = head(ln(blockₙ(… block₁(tok[x] + pos[0..T))))): a character GPT, each block a pre-LN
 * {@link TransformerEncoderLayer} under a causal mask (multi-head self-attention, then an MLP 4·E wide with exact
 * GELU), as the PyTorch peer ({@code bench/peers/torch_gpt.py}) builds it, initialised as PyTorch initialises it:
 * linear weights and biases U(−1/√in, 1/√in), embeddings N(0, 1), norms 1 and 0.
 *
 * @param tok    the character embedding (vocab, E)
 * @param pos    the learned positions (block, E)
 * @param blocks the transformer blocks
 * @param ln     the final LayerNorm
 * @param head   the map from E to the character scores: a {@link Linear}, or a {@link TiedOutput} sharing tok's table
 */
public record Gpt(Embed tok, PositionEmbedding pos, List<TransformerEncoderLayer> blocks, LayerNorm ln, Layer head) {
    public Gpt(int vocab, int block, int layers, int heads, int embd) { this(vocab, block, layers, heads, embd, false, new GELU()); }

    /**
     * With {@code tied} the output head reuses the character embedding (weight tying) and has only a bias of its own;
     * {@code activation} is the MLP's (the peer's is the exact {@link GELU}).
     */
    public Gpt(int vocab, int block, int layers, int heads, int embd, boolean tied, Layer activation) {
        this(new Embed(new Param(Init.gaussian(1, vocab, embd))), block, layers, heads, embd, tied, activation);
    }

    private Gpt(Embed tok, int block, int layers, int heads, int embd, boolean tied, Layer activation) {
        this(tok, new PositionEmbedding(block, embd), blocks(layers, heads, embd, activation), new LayerNorm(embd), tied ? new TiedOutput(tok) : linear(embd, tok.vocab()));
    }

    private static List<TransformerEncoderLayer> blocks(int layers, int heads, int e, Layer activation) {
        List<TransformerEncoderLayer> out = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            Linear qkv = linear(e, 3 * e);
            MultiheadAttention attn = new MultiheadAttention(qkv.w(), qkv.b(), linear(e, e), heads, new Dropout(0));
            out.add(new TransformerEncoderLayer(attn, linear(e, 4 * e), linear(4 * e, e), new LayerNorm(e), new LayerNorm(e), new Dropout(0), activation, true));
        }
        return out;
    }

    /** PyTorch's nn.Linear initialisation: weight and bias U(−1/√in, 1/√in). */
    static Linear linear(int in, int out) {
        double bound = 1 / Math.sqrt(in);
        return new Linear(new Param(uniform(bound, out, in)), new Param(uniform(bound, out)));
    }

    private static Tensor uniform(double bound, int... dims) {
        return Defaults.backend().random().uniform(io.github.knetj.api.Shape.of(dims), Defaults.dtype(), -bound, bound, Init.nextSeed());
    }

    public int block() { return pos.maxLength(); }

    public int vocab() { return tok.vocab(); }

    /** Character scores (B·T, vocab) for windows ids (B·T, row-major) of length t. */
    public Value logits(int[] ids, int b, int t) {
        Value x = pos.apply(tok.apply(ids, b, t));
        Value mask = AttentionOps.causalMask(t, t, x);
        for (TransformerEncoderLayer layer : blocks) x = layer.apply(x, mask);
        return head.apply(Ops.reshape(ln.apply(x), b * t, -1));
    }

    /**
     * Scores (B·Tn, vocab) of the newest positions ids (B·Tn) given what the caches (one per block) already hold:
     * their positions start where the caches end.
     */
    public Value logitsCached(int[] ids, int b, List<KVCache> caches) {
        int tn = ids.length / b, offset = caches.get(0).length();
        Value x = pos.apply(tok.apply(ids, b, tn), offset);
        for (int i = 0; i < blocks.size(); i++) x = blocks.get(i).applyCached(x, caches.get(i));
        return head.apply(Ops.reshape(ln.apply(x), b * tn, -1));
    }

    /** One empty cache per block. */
    public List<KVCache> newCaches() {
        List<KVCache> c = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) c.add(new KVCache());
        return c;
    }

    /** The number of parameters. */
    public long size() { return io.github.knetj.layers.Params.of(this).stream().mapToLong(p -> p.shape().size()).sum(); }

    @Override public String toString() {
        return "Gpt(vocab=" + vocab() + ", block=" + block() + ", " + blocks.size() + " × " + blocks.get(0) + ", " + (head instanceof TiedOutput ? "tied head, " : "") + size() + " parameters)";
    }
}
