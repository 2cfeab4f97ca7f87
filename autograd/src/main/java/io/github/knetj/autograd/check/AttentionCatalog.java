package io.github.knetj.autograd.check;

import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AttentionOps;
import io.github.knetj.autograd.AttentionOps.Options;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Ops;
import io.github.knetj.autograd.check.OpCatalog.Entry;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static io.github.knetj.autograd.check.Sampling.*;

/**
 * The {@link OpCatalog} entries of {@link AttentionOps}: multi-head attention with every kind of mask (none, causal,
 * key padding, boolean, and causal with padding), cross-attention with separate query, key and value, the averaged
 * weights, dropout with a fixed seed, and self-attention of packed projections. Masks always leave each query at
 * least one key (key 0 is never masked).
 */
final class AttentionCatalog {
    private AttentionCatalog() {}

    static void addTo(List<Entry> out) {
        out.add(new Entry("heads", r -> heads(r, false, 0)));
        out.add(new Entry("heads_weights", r -> heads(r, true, 0)));
        out.add(new Entry("heads_dropout", r -> heads(r, false, 0.5)));
        out.add(new Entry("selfAttention", AttentionCatalog::self));
        out.add(new Entry("multiHeadAttention", r -> multiHead(r, true)));
        out.add(new Entry("multiHeadAttention_cross", r -> multiHead(r, false)));
    }

    /** A random mask kind for B queries blocks of Tq × Tk, as a description and a builder. */
    private record MaskSpec(String text, java.util.function.Function<Value, Value> build) {}

    private static MaskSpec mask(SplittableRandom r, int b, int h, int tq, int tk) {
        switch (r.nextInt(5)) {
            case 0: return new MaskSpec("no mask", like -> null);
            case 1: return new MaskSpec("causal", like -> AttentionOps.causalMask(tq, tk, like));
            case 2: {
                int[] pad = padding(r, b, tk);
                return new MaskSpec("key padding " + Arrays.toString(pad), like -> AttentionOps.keyPaddingMask(pad, b, tk, like));
            }
            case 3: {
                boolean perHead = r.nextBoolean();
                Shape s = perHead ? Shape.of(b, h, tq, tk) : Shape.of(tq, tk);
                boolean[] forbidden = new boolean[s.sizeInt()];
                for (int i = 0; i < forbidden.length; i++) forbidden[i] = i % tk != 0 && r.nextBoolean();
                return new MaskSpec("boolean " + s + " " + Arrays.toString(forbidden), like -> AttentionOps.booleanMask(forbidden, s, like));
            }
            default: {
                int[] pad = padding(r, b, tk);
                return new MaskSpec("causal + key padding " + Arrays.toString(pad),
                        like -> Ops.add(AttentionOps.causalMask(tq, tk, like), AttentionOps.keyPaddingMask(pad, b, tk, like)));
            }
        }
    }

    /** B·Tk padding flags, key 0 of every sequence kept. */
    private static int[] padding(SplittableRandom r, int b, int tk) {
        int[] pad = new int[b * tk];
        for (int i = 0; i < pad.length; i++) pad[i] = i % tk != 0 && r.nextInt(3) == 0 ? 1 : 0;
        return pad;
    }

    private static OpCatalog.Case heads(SplittableRandom r, boolean weights, double dropout) {
        int b = r.nextInt(1, 3), h = r.nextInt(1, 3), d = r.nextInt(1, 3), dv = r.nextInt(1, 3), tk = r.nextInt(1, 4), tq = r.nextInt(1, tk + 1);
        MaskSpec m = mask(r, b, h, tq, tk);
        long seed = r.nextLong();
        Shape sq = Shape.of(b, tq, h * d), sk = Shape.of(b, tk, h * d), sv = Shape.of(b, tk, h * dv);
        String name = weights ? "heads_weights" : dropout > 0 ? "heads_dropout" : "heads";
        return of(name, "heads=" + h + " " + m.text() + (dropout > 0 ? " dropout=" + dropout + " seed=" + seed + " training" : ""), xs -> {
            Options o = new Options(h, m.build().apply(xs.get(0)), dropout, seed, true, weights);
            AttentionOps.Attended a = AttentionOps.heads(xs.get(0), xs.get(1), xs.get(2), o);
            return weights ? a.weights() : a.y();
        }, in("q", sq, any(r, sq)), in("k", sk, any(r, sk)), in("v", sv, any(r, sv)));
    }

    private static OpCatalog.Case self(SplittableRandom r) {
        int b = r.nextInt(1, 3), h = r.nextInt(1, 3), d = r.nextInt(1, 3), t = r.nextInt(1, 4);
        MaskSpec m = mask(r, b, h, t, t);
        Shape s = Shape.of(b, t, 3 * h * d);
        return of("selfAttention", "heads=" + h + " " + m.text(), xs -> AttentionOps.selfAttention(xs.get(0), h, m.build().apply(xs.get(0))), in("qkv", s, any(r, s)));
    }

    private static OpCatalog.Case multiHead(SplittableRandom r, boolean self) {
        int b = r.nextInt(1, 3), h = r.nextInt(1, 3), e = h * r.nextInt(1, 3), tk = r.nextInt(1, 4), tq = self ? tk : r.nextInt(1, tk + 1);
        MaskSpec m = mask(r, b, h, tq, tk);
        boolean bias = r.nextInt(4) != 0;
        Shape sq = Shape.of(b, tq, e), sk = Shape.of(b, tk, e), sw = Shape.of(3 * e, e), sb = Shape.of(3 * e), so = Shape.of(e, e), sob = Shape.of(e);
        // Small weights keep the softmax away from saturation, where central differences lose their digits.
        double[] w = any(r, sw), wo = any(r, so);
        for (int i = 0; i < w.length; i++) w[i] *= 0.5;
        String attrs = "heads=" + h + " " + m.text() + (bias ? "" : " no bias");
        if (self)
            return bias ? of("multiHeadAttention", attrs, xs -> AttentionOps.multiHeadAttention(xs.get(0), xs.get(0), xs.get(0), xs.get(1), xs.get(2), xs.get(3), xs.get(4),
                            Options.of(h, m.build().apply(xs.get(0)))).y(),
                    in("x", sq, any(r, sq)), in("in_proj_weight", sw, w), in("in_proj_bias", sb, any(r, sb)), in("out_proj_weight", so, wo), in("out_proj_bias", sob, any(r, sob)))
                    : of("multiHeadAttention", attrs, xs -> AttentionOps.multiHeadAttention(xs.get(0), xs.get(0), xs.get(0), xs.get(1), null, xs.get(2), null,
                            Options.of(h, m.build().apply(xs.get(0)))).y(),
                    in("x", sq, any(r, sq)), in("in_proj_weight", sw, w), in("out_proj_weight", so, wo));
        return of("multiHeadAttention_cross", "heads=" + h + " " + m.text(), xs -> AttentionOps.multiHeadAttention(xs.get(0), xs.get(1), xs.get(2), xs.get(3), xs.get(4), xs.get(5),
                        xs.get(6), Options.of(h, m.build().apply(xs.get(0)))).y(),
                in("query", sq, any(r, sq)), in("key", sk, any(r, sk)), in("value", sk, any(r, sk)), in("in_proj_weight", sw, w),
                in("in_proj_bias", sb, any(r, sb)), in("out_proj_weight", so, wo), in("out_proj_bias", sob, any(r, sob)));
    }
}
