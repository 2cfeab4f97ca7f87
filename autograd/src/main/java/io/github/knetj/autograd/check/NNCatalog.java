package io.github.knetj.autograd.check;

import io.github.knetj.api.Conv2d;
import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.BatchNormStats;
import io.github.knetj.autograd.NNOps;
import io.github.knetj.autograd.Ops;
import io.github.knetj.autograd.check.OpCatalog.Entry;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

import static io.github.knetj.autograd.check.Sampling.*;

/** The {@link OpCatalog} entries of {@link NNOps}: convolution, pooling, softmax, losses, normalisation, attention. */
final class NNCatalog {
    private NNCatalog() {}

    static void addTo(List<Entry> out) {
        convolutions(out);
        pooling(out);
        softmaxAndLosses(out);
        normalisation(out);
        out.add(new Entry("embed", r -> {
            int v = r.nextInt(2, 6), d = r.nextInt(1, 4);
            int[] dims = r.nextBoolean() ? new int[]{r.nextInt(1, 4)} : new int[]{r.nextInt(1, 3), r.nextInt(1, 4)};
            int[] idx = labels(r, Arrays.stream(dims).reduce(1, (a, b) -> a * b), v);   // repeats exercise the scatter-add
            Shape st = Shape.of(v, d);
            return of("embed", "indices=" + Arrays.toString(idx) + " dims=" + Arrays.toString(dims),
                    xs -> NNOps.embed(xs.get(0), idx, dims), in("table", st, any(r, st)));
        }));
        out.add(new Entry("attention", r -> attention(r, false)));
        out.add(new Entry("attention_causal", r -> attention(r, true)));
        out.add(new Entry("dropout", r -> {
            Shape s = shape(r, 1, 3, 4);
            double p = new double[]{0.25, 0.5}[r.nextInt(2)];
            long seed = r.nextLong();
            return of("dropout", "p=" + p + " seed=" + seed + " training", xs -> NNOps.dropout(xs.get(0), p, seed, true), in("x", s, any(r, s)));
        }));
    }

    private static void convolutions(List<Entry> out) {
        out.add(new Entry("conv4", r -> {
            int kh = r.nextInt(1, 4), kw = r.nextInt(1, 4);
            Conv2d spec = new Conv2d(r.nextInt(1, 3), r.nextInt(1, 3), r.nextInt(0, 2), r.nextInt(0, 2), r.nextInt(1, 3), r.nextInt(1, 3));
            int n = r.nextInt(1, 3), c = r.nextInt(1, 3), o = r.nextInt(1, 3);
            int h = fits(kh, spec.padH(), spec.dilationH()) + r.nextInt(0, 3), w = fits(kw, spec.padW(), spec.dilationW()) + r.nextInt(0, 3);
            Shape sw = Shape.of(o, c, kh, kw), sx = Shape.of(n, c, h, w);
            return of("conv4", spec.toString(), xs -> NNOps.conv4(xs.get(0), xs.get(1), spec), in("w", sw, any(r, sw)), in("x", sx, any(r, sx)));
        }));
        out.add(new Entry("conv4_bias", r -> {
            int k = r.nextInt(1, 4), pad = r.nextInt(0, 2), c = r.nextInt(1, 3), o = r.nextInt(1, 3);
            int h = fits(k, pad, 1) + r.nextInt(0, 3);
            Shape sw = Shape.of(o, c, k, k), sx = Shape.of(r.nextInt(1, 3), c, h, h), sb = Shape.of(1, o, 1, 1);
            // The fused primitive (the product and the bias in one op, as the Conv layer runs it).
            return of("conv4_bias", "pad=" + pad, xs -> NNOps.conv4(xs.get(0), xs.get(1), xs.get(2), Conv2d.of(1, pad, 1)),
                    in("w", sw, any(r, sw)), in("x", sx, any(r, sx)), in("b", sb, any(r, sb)));
        }));
        out.add(new Entry("conv4pool", r -> {
            int k = r.nextInt(1, 4), pad = r.nextInt(0, 2), c = r.nextInt(1, 3), o = r.nextInt(1, 3);
            // Room for at least two output rows and columns, for the 2×2 windows.
            int h = fits(k, pad, 1) + r.nextInt(1, 4), w = fits(k, pad, 1) + r.nextInt(1, 4);
            Shape sw = Shape.of(o, c, k, k), sx = Shape.of(r.nextInt(1, 3), c, h, w), sb = Shape.of(1, o, 1, 1);
            boolean bias = r.nextBoolean();
            Conv2d spec = Conv2d.of(1, pad, 1);
            if (!bias) return of("conv4pool", "pad=" + pad + " no bias", xs -> NNOps.conv4pool(xs.get(0), xs.get(1), null, spec, Pool2d.of(2)),
                    in("w", sw, any(r, sw)), in("x", sx, any(r, sx)));
            return of("conv4pool", "pad=" + pad, xs -> NNOps.conv4pool(xs.get(0), xs.get(1), xs.get(2), spec, Pool2d.of(2)),
                    in("w", sw, any(r, sw)), in("x", sx, any(r, sx)), in("b", sb, any(r, sb)));
        }));
        out.add(new Entry("deconv4", r -> {
            int kh = r.nextInt(1, 4), kw = r.nextInt(1, 4), sh = r.nextInt(1, 3), sw = r.nextInt(1, 3), dh = r.nextInt(1, 3), dw = r.nextInt(1, 3);
            // Padding at most half the dilated kernel keeps the output at least one cell wide.
            Conv2d spec = new Conv2d(sh, sw, r.nextInt(0, dh * (kh - 1) / 2 + 1), r.nextInt(0, dw * (kw - 1) / 2 + 1), dh, dw);
            int outPad = r.nextInt(0, Math.min(sh, sw));   // below the stride, or conv4 of the output would not give x's shape back
            int n = r.nextInt(1, 3), cin = r.nextInt(1, 3), cout = r.nextInt(1, 3);
            Shape sWeight = Shape.of(cin, cout, kh, kw), sx = Shape.of(n, cin, r.nextInt(1, 4), r.nextInt(1, 4));
            return of("deconv4", spec + " outputPadding=" + outPad, xs -> NNOps.deconv4(xs.get(0), xs.get(1), spec, outPad),
                    in("w", sWeight, any(r, sWeight)), in("x", sx, any(r, sx)));
        }));
    }

    /** The smallest input length a kernel of this size, padding and dilation fits in. */
    private static int fits(int kernel, int pad, int dilation) { return Math.max(1, dilation * (kernel - 1) + 1 - 2 * pad); }

    private static void pooling(List<Entry> out) {
        out.add(new Entry("pool", r -> {
            Pool2d spec = poolSpec(r);
            Shape sx = poolInput(r, spec);
            return of("pool", spec.toString(), xs -> NNOps.pool(xs.get(0), spec), in("x", sx, distinct(r, sx)));
        }));
        out.add(new Entry("avgpool", r -> {
            Pool2d spec = poolSpec(r);
            Shape sx = poolInput(r, spec);
            return of("avgpool", spec.toString(), xs -> NNOps.avgpool(xs.get(0), spec), in("x", sx, any(r, sx)));
        }));
        out.add(new Entry("unpool", r -> {
            int window = r.nextInt(1, 4);
            Shape sx = Shape.of(r.nextInt(1, 3), r.nextInt(1, 3), r.nextInt(1, 3), r.nextInt(1, 3));
            return of("unpool", "window=" + window, xs -> NNOps.unpool(xs.get(0), window), in("x", sx, any(r, sx)));
        }));
    }

    /** A window of 1–3 per axis, a stride up to the window, padding up to half the window (what Pool2d allows). */
    private static Pool2d poolSpec(SplittableRandom r) {
        int wh = r.nextInt(1, 4), ww = r.nextInt(1, 4);
        return new Pool2d(wh, ww, r.nextInt(1, wh + 1), r.nextInt(1, ww + 1), r.nextInt(0, wh / 2 + 1), r.nextInt(0, ww / 2 + 1), r.nextBoolean());
    }

    private static Shape poolInput(SplittableRandom r, Pool2d spec) {
        return Shape.of(r.nextInt(1, 3), r.nextInt(1, 3), spec.windowH() + r.nextInt(0, 3), spec.windowW() + r.nextInt(0, 3));
    }

    private static void softmaxAndLosses(List<Entry> out) {
        out.add(new Entry("softmax", r -> {
            Shape s = shape(r, 1, 3, 4);
            int axis = r.nextInt(-s.rank(), s.rank());
            return of("softmax", "axis=" + axis, xs -> NNOps.softmax(xs.get(0), axis), in("x", s, any(r, s)));
        }));
        out.add(new Entry("logsoftmax", r -> {
            Shape s = shape(r, 1, 3, 4);
            int axis = r.nextInt(-s.rank(), s.rank());
            return of("logsoftmax", "axis=" + axis, xs -> NNOps.logsoftmax(xs.get(0), axis), in("x", s, any(r, s)));
        }));
        out.add(new Entry("pick", r -> classification(r, "pick", NNOps::pick)));
        out.add(new Entry("nll", r -> classification(r, "nll", NNOps::nll)));
        out.add(new Entry("crossEntropy", r -> classification(r, "crossEntropy", NNOps::crossEntropy)));
        out.add(new Entry("bce", r -> {
            Shape s = shape(r, 1, 2, 4);
            return of("bce", "", xs -> NNOps.bce(xs.get(0), xs.get(1)), in("logits", s, any(r, s)), in("targets", s, unit(r, s)));
        }));
        out.add(new Entry("logistic", r -> {
            Shape s = shape(r, 1, 2, 4);
            double[] y = new double[s.sizeInt()];
            for (int i = 0; i < y.length; i++) y[i] = r.nextBoolean() ? 1 : -1;
            return of("logistic", "labels=" + Arrays.toString(y),
                    xs -> NNOps.logistic(xs.get(0), new Value(xs.get(0).backend().memory().fromArray(y.clone(), s, xs.get(0).dtype()))),
                    in("scores", s, any(r, s)));
        }));
        out.add(new Entry("mse", r -> {
            Shape s = shape(r, 1, 2, 4);
            return of("mse", "", xs -> NNOps.mse(xs.get(0), xs.get(1)), in("x", s, any(r, s)), in("target", s, any(r, s)));
        }));
    }

    /** A loss of (N, C) scores at integer labels. */
    private static OpCatalog.Case classification(SplittableRandom r, String name, BiFunction<Value, int[], Value> f) {
        int n = r.nextInt(1, 5), c = r.nextInt(2, 5);
        int[] y = labels(r, n, c);
        Shape s = Shape.of(n, c);
        return of(name, "labels=" + Arrays.toString(y), xs -> f.apply(xs.get(0), y), in("x", s, any(r, s)));
    }

    private static void normalisation(List<Entry> out) {
        out.add(new Entry("batchnorm", r -> {
            boolean image = r.nextBoolean();
            int c = r.nextInt(1, 4);
            Shape sx = image ? Shape.of(r.nextInt(1, 3), c, r.nextInt(2, 4), r.nextInt(2, 4)) : Shape.of(r.nextInt(3, 6), c);
            int[] axes = image ? new int[]{0, 2, 3} : new int[]{0};
            Shape sp = Shape.of(c);
            return of("batchnorm", "training momentum=0.1 eps=1e-5", xs -> {
                Value x = xs.get(0);
                var memory = x.backend().memory();
                BatchNormStats stats = new BatchNormStats(memory.zeros(sp, x.dtype()), memory.ones(sp, x.dtype()));
                return NNOps.batchnorm(x, xs.get(1), xs.get(2), stats, true, 0.1, 1e-5);
            }, in("x", sx, spread(r, sx, axes)), in("gamma", sp, any(r, sp)), in("beta", sp, any(r, sp)));
        }));
        out.add(new Entry("batchnorm_eval", r -> {
            int c = r.nextInt(1, 4);
            Shape sx = r.nextBoolean() ? Shape.of(r.nextInt(1, 3), c, r.nextInt(1, 4), r.nextInt(1, 4)) : Shape.of(r.nextInt(1, 5), c);
            Shape sp = Shape.of(c);
            double[] mean = any(r, sp), var = positive(r, sp);
            return of("batchnorm_eval", "running mean=" + Arrays.toString(mean) + " var=" + Arrays.toString(var), xs -> {
                Value x = xs.get(0);
                BatchNormStats stats = new BatchNormStats(x.backend().memory().fromArray(mean.clone(), sp, x.dtype()),
                        x.backend().memory().fromArray(var.clone(), sp, x.dtype()));
                return NNOps.batchnorm(x, xs.get(1), xs.get(2), stats, false, 0.1, 1e-5);
            }, in("x", sx, any(r, sx)), in("gamma", sp, any(r, sp)), in("beta", sp, any(r, sp)));
        }));
        out.add(new Entry("layernorm", r -> {
            Shape sx = r.nextBoolean() ? Shape.of(r.nextInt(3, 6)) : Shape.of(r.nextInt(1, 4), r.nextInt(3, 6));
            Shape sp = Shape.of(sx.dim(-1));
            if (r.nextBoolean())
                return of("layernorm", "no affine", xs -> NNOps.layernorm(xs.get(0), null, null, 1e-5), in("x", sx, spread(r, sx, -1)));
            return of("layernorm", "eps=1e-5", xs -> NNOps.layernorm(xs.get(0), xs.get(1), xs.get(2), 1e-5),
                    in("x", sx, spread(r, sx, -1)), in("gamma", sp, any(r, sp)), in("beta", sp, any(r, sp)));
        }));
    }

    private static OpCatalog.Case attention(SplittableRandom r, boolean causal) {
        int b = r.nextInt(1, 3), tq = r.nextInt(1, 4), tk = causal ? tq : r.nextInt(1, 4), d = r.nextInt(1, 4), dv = r.nextInt(1, 4);
        Shape sq = Shape.of(b, tq, d), sk = Shape.of(b, tk, d), sv = Shape.of(b, tk, dv);
        String name = causal ? "attention_causal" : "attention";
        return of(name, causal ? "causal" : "", xs -> NNOps.attention(xs.get(0), xs.get(1), xs.get(2), causal),
                in("q", sq, any(r, sq)), in("k", sk, any(r, sk)), in("v", sv, any(r, sv)));
    }
}
