package io.github.knetj.tck;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.TensorScope;
import io.github.knetj.api.UnaryOp;
import io.github.knetj.tck.property.Domain;
import io.github.knetj.tck.property.Gens;
import io.github.knetj.tck.property.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The suite's NN, memory and random part: softmax, batch and layer norm, the row and class gathers and scatters, copies, casts and draws. */
abstract class NNTests extends LayoutTests {
    NNTests(String name, Supplier<Backend> supplier) { super(name, supplier); }

    @ParameterizedTest
    @EnumSource(DType.class)
    void softmaxAndLogSoftmax(DType dtype) {
        Property.forAll("softmax " + dtype, Gens.seeded(Gens.shape(1, 4, 5)), c -> {
            SplittableRandom r = c.random();
            Shape s = c.value();
            int axis = r.nextInt(-s.rank(), s.rank());
            double spread = r.nextInt(4) == 0 ? 100 : 1;   // large logits: only the max-subtracting form survives
            double[] v = Gens.values(r, s, Domain.WIDE);
            for (int i = 0; i < v.length; i++) v[i] *= spread;
            Tensor[] x = both(v, s, dtype);
            same(label("softmax", dtype, s, "axis " + axis + " spread " + spread), ref.fused().softmax(x[0], axis), backend.fused().softmax(x[1], axis));
            same(label("logSoftmax", dtype, s, "axis " + axis + " spread " + spread), ref.fused().logSoftmax(x[0], axis), backend.fused().logSoftmax(x[1], axis));
        });
    }

    /**
     * Softmax's backward pass from its output, along any axis: the last one is the CPU backend's one-pass kernel, the
     * others its composed default; rows of up to 70 cover SIMD tails and the GPT's attention rows of 64.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void softmaxBackward(DType dtype) {
        Property.forAll("softmaxBackward " + dtype, Gens.seeded(Gens.intVector(new int[] {1, 1, 1, 0}, new int[] {5, 4, 70, 2})), c -> {
            SplittableRandom r = c.random();
            int[] v = c.value();
            Shape s = v[3] == 0 ? Shape.of(v[2]) : v[3] == 1 ? Shape.of(v[0], v[2]) : Shape.of(v[0], v[1], v[2]);
            int axis = r.nextInt(4) == 0 ? r.nextInt(s.rank()) : -1;
            Tensor[] x = both(r, s, dtype, Domain.WIDE), dy = both(r, s, dtype, Domain.ANY);
            Tensor y0 = ref.fused().softmax(x[0], axis), y1 = backend.fused().softmax(x[1], axis);
            sameGrad(label("softmaxBackward", dtype, s, "axis " + axis), ref.fused().softmaxBackward(y0, dy[0], axis), backend.fused().softmaxBackward(y1, dy[1], axis));
        });
    }

    /**
     * Self-attention of packed projections and its backward pass, against the reference's composed form: head widths
     * that take the packed and the small matrix products, contexts past one 64-row block of the CPU's backward, and
     * masks that are causal, key padding (B, 1, 1, T), per head (B, h, T, T) or one value per row (B, h, T, 1).
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void selfAttention(DType dtype) {
        // A fifth of the usual tries: each composes some twenty ops, seconds a hundred tries on PoCL's OpenCL device.
        Property.forAll("selfAttention " + dtype, Math.max(1, Property.tries() / 5), Gens.seeded(Gens.intVector(new int[] {1, 1, 1, 0, 0}, new int[] {2, 3, 12, 4, 4})), c -> {
            SplittableRandom r = c.random();
            int[] v = c.value();
            // Contexts 1–10, and 65 or 66 (two 64-row blocks of the CPU's backward pass) in one case of six.
            int b = v[0], h = v[1], t = v[2] <= 10 ? v[2] : 54 + v[2], d = new int[] {1, 3, 8, 16, 32}[v[3]], e = h * d;
            Shape ms = switch (v[4]) {
                case 0 -> null;
                case 1 -> Shape.of(t, t);
                case 2 -> Shape.of(b, 1, 1, t);
                case 3 -> Shape.of(b, h, t, t);
                default -> Shape.of(b, h, t, 1);
            };
            Tensor[] mask = ms == null ? new Tensor[2] : both(attentionMask(r, ms, v[4]), ms, dtype);
            Tensor[] qkv = both(r, Shape.of(b, t, 3 * e), dtype, Domain.ANY), dy = both(r, Shape.of(b, t, e), dtype, Domain.ANY);
            double scale = 1 / Math.sqrt(d);
            Tensor[] want = ref.fused().selfAttention(qkv[0], h, scale, mask[0]), got = backend.fused().selfAttention(qkv[1], h, scale, mask[1]);
            String what = label("selfAttention", dtype, Shape.of(b, t, 3 * e), "heads " + h + " mask " + ms);
            same(what + " y", want[0], got[0]);
            same(what + " P", want[1], got[1]);
            sameGrad(what + " dqkv", ref.fused().selfAttentionBackward(dy[0], qkv[0], want[1], h, scale), backend.fused().selfAttentionBackward(dy[1], qkv[1], got[1], h, scale));
        });
    }

    /** Causal (kind 1): −∞ above the diagonal; padding (2): −∞ on random keys but key 0; else values in [−1, 1]. */
    private static double[] attentionMask(SplittableRandom r, Shape s, int kind) {
        double[] m = new double[s.sizeInt()];
        int t = s.dim(-1);
        for (int i = 0; i < m.length; i++) {
            if (kind == 1) m[i] = i % t > i / t ? Double.NEGATIVE_INFINITY : 0;
            else if (kind == 2) m[i] = i % t != 0 && r.nextInt(3) == 0 ? Double.NEGATIVE_INFINITY : 0;
            else m[i] = r.nextDouble(-1, 1);
        }
        return m;
    }

    /** GELU's backward pass over [−5, 5] on lengths that cover SIMD tails. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void geluBackward(DType dtype) {
        Property.forAll("geluBackward " + dtype, Gens.seeded(Gens.shape(1, 2, 40)), c -> {
            SplittableRandom r = c.random();
            Shape s = c.value();
            Tensor[] x = both(r, s, dtype, Domain.WIDE), dy = both(r, s, dtype, Domain.ANY);
            sameGrad(label("geluBackward", dtype, s), ref.fused().geluBackward(x[0], dy[0]), backend.fused().geluBackward(x[1], dy[1]));
        });
    }

    /**
     * ReLU's backward pass, bit for bit the composed dy·step(x): x in multiples of 0.5 (zeros among them, where the
     * gradient is 0 as in PyTorch), dy with infinities and NaNs now and then (NaN where x ≤ 0, as 0·∞ is).
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void reluBackward(DType dtype) {
        Property.forAll("reluBackward " + dtype, Gens.seeded(Gens.shape(1, 2, 40)), c -> {
            SplittableRandom r = c.random();
            Shape s = c.value();
            Tensor[] x = coarse(r, s, dtype);
            double[] g = Gens.values(r, s, Domain.ANY);
            for (int i = 0; i < g.length; i++) {
                int pick = r.nextInt(20);
                if (pick == 0) g[i] = Double.POSITIVE_INFINITY;
                else if (pick == 1) g[i] = Double.NaN;
            }
            Tensor[] dy = both(g, s, dtype);
            compare(label("reluBackward", dtype, s), ref.fused().reluBackward(x[0], dy[0]), backend.fused().reluBackward(x[1], dy[1]), new Tolerance(0, 0));
        });
    }

    /**
     * Training-mode batch norm and its backward pass on (N, C) and (N, C, H, W) with N·H·W ≥ 2 (one element per
     * channel has no spread to normalise); rows of up to 40 cover SIMD tails and several vectors per row.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void batchNormAndBackward(DType dtype) {
        Property.forAll("batchNorm " + dtype, Gens.seeded(Gens.intVector(new int[] {1, 1, 1, 2, 0}, new int[] {4, 5, 4, 40, 1})), p -> {
            SplittableRandom r = p.random();
            int[] v = p.value();
            Shape s = v[4] == 0 ? Shape.of(v[0] + 1, v[1]) : Shape.of(v[0], v[1], v[2], v[3]), c = Shape.of(v[1]);
            Tensor[] x = both(r, s, dtype, Domain.WIDE), g = both(r, c, dtype, Domain.ANY), b = both(r, c, dtype, Domain.ANY), dy = both(r, s, dtype, Domain.ANY);
            Tensor[] want = ref.fused().batchNorm(x[0], g[0], b[0], 1e-5), got = backend.fused().batchNorm(x[1], g[1], b[1], 1e-5);
            String[] names = {"y", "mean", "var"};
            for (int k = 0; k < 3; k++) same(label("batchNorm " + names[k], dtype, s), want[k], got[k]);
            Tensor[] wantD = ref.fused().batchNormBackward(dy[0], x[0], want[1], want[2], g[0], 1e-5);
            Tensor[] gotD = backend.fused().batchNormBackward(dy[1], x[1], got[1], got[2], g[1], 1e-5);
            String[] grads = {"dx", "dgamma", "dbeta"};
            for (int k = 0; k < 3; k++) sameGrad(label("batchNormBackward " + grads[k], dtype, s), wantD[k], gotD[k]);
        });
    }

    /**
     * Layer norm and its backward pass on (D), (R, D) and (R, B, D) with D ≥ 2 (one element per row has no spread),
     * with and without γ and β: D up to 140 covers SIMD tails and the GPT's rows of 128; up to 120 rows cover several
     * of the CPU kernel's blocks of rows summed for dγ and dβ.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void layerNormAndBackward(DType dtype) {
        Property.forAll("layerNorm " + dtype, Gens.seeded(Gens.intVector(new int[] {1, 1, 2, 0, 1}, new int[] {40, 3, 140, 3, 3})), p -> {
            SplittableRandom r = p.random();
            int[] v = p.value();
            Shape s = v[4] == 1 ? Shape.of(v[2]) : v[4] == 2 ? Shape.of(v[0], v[2]) : Shape.of(v[0], v[1], v[2]), d = Shape.of(v[2]);
            boolean affine = (v[3] & 1) != 0, shift = (v[3] & 2) != 0;
            Tensor[] x = both(r, s, dtype, Domain.WIDE), dy = both(r, s, dtype, Domain.ANY);
            Tensor[] g = affine ? both(r, d, dtype, Domain.ANY) : new Tensor[2], b = shift ? both(r, d, dtype, Domain.ANY) : new Tensor[2];
            String what = (affine ? "gamma " : "") + (shift ? "beta" : "");
            Tensor[] want = ref.fused().layerNorm(x[0], g[0], b[0], 1e-5), got = backend.fused().layerNorm(x[1], g[1], b[1], 1e-5);
            String[] names = {"y", "mean", "var"};
            for (int k = 0; k < 3; k++) same(label("layerNorm " + names[k], dtype, s, what), want[k], got[k]);
            Tensor[] wantD = ref.fused().layerNormBackward(dy[0], x[0], want[1], want[2], g[0], 1e-5);
            Tensor[] gotD = backend.fused().layerNormBackward(dy[1], x[1], got[1], got[2], g[1], 1e-5);
            String[] grads = {"dx", "dgamma", "dbeta"};
            for (int k = 0; k < 3; k++) {
                if (k == 1 && !affine) {
                    assertTrue(gotD[1] == null, label("layerNormBackward without gamma gives no dgamma", dtype, s));
                    continue;
                }
                sameGrad(label("layerNormBackward " + grads[k], dtype, s, what), wantD[k], gotD[k]);
            }
        });
    }

    /** Table rows V, width D and number of lookups n; indices repeat often (an embedding's gradient must add them up). */
    @ParameterizedTest
    @EnumSource(DType.class)
    void gatherAndScatterRows(DType dtype) {
        Property.forAll("gatherRows/scatterAddRows " + dtype, Gens.seeded(Gens.intVector(new int[] {1, 1, 1}, new int[] {6, 5, 9})), c -> {
            SplittableRandom r = c.random();
            int rows = c.value()[0], width = c.value()[1], n = c.value()[2];
            int[] idx = r.ints(n, 0, rows).toArray();
            Tensor[] table = both(r, Shape.of(rows, width), dtype, Domain.WIDE), src = both(r, Shape.of(n, width), dtype, Domain.WIDE);
            String what = Arrays.toString(idx);
            same(label("gatherRows", dtype, table[0].shape(), what), ref.nn().gatherRows(table[0], idx), backend.nn().gatherRows(table[1], idx));
            sameGrad(label("scatterAddRows", dtype, src[0].shape(), what, "rows " + rows),
                    ref.nn().scatterAddRows(src[0], idx, rows), backend.nn().scatterAddRows(src[1], idx, rows));
        });
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void pickAndPlaceClasses(DType dtype) {
        Property.forAll("pickClasses/placeClasses " + dtype, Gens.seeded(Gens.intVector(new int[] {1, 1}, new int[] {9, 7})), c -> {
            SplittableRandom r = c.random();
            int n = c.value()[0], classes = c.value()[1];
            int[] labels = r.ints(n, 0, classes).toArray();
            Tensor[] x = both(r, Shape.of(n, classes), dtype, Domain.WIDE), g = both(r, Shape.of(n), dtype, Domain.WIDE);
            String what = Arrays.toString(labels);
            same(label("pickClasses", dtype, x[0].shape(), what), ref.fused().pickClasses(x[0], labels), backend.fused().pickClasses(x[1], labels));
            sameGrad(label("placeClasses", dtype, g[0].shape(), what, "classes " + classes),
                    ref.fused().placeClasses(g[0], labels, classes), backend.fused().placeClasses(g[1], labels, classes));
        });
    }

    /** Copies in and out, constants, casts and moves between this backend and the reference are exact. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void memoryRoundTrips(DType dtype) {
        DType other = dtype == DType.FLOAT32 ? DType.FLOAT64 : DType.FLOAT32;
        Property.forAll("memory " + dtype, Gens.seeded(Gens.shape(0, 4, 5)), c -> {
            SplittableRandom r = c.random();
            Shape s = c.value();
            double[] v = Gens.values(r, s, Domain.WIDE);
            float[] f = new float[v.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) v[i];
            String what = "memory " + s + " " + dtype + " on " + suiteName();
            Tensor[] x = both(v, s, dtype);
            assertEquals(dtype, x[1].dtype(), what + ": dtype");
            assertEquals(s, x[1].shape(), what + ": shape");
            assertArrayEquals(x[0].toDoubleArray(), x[1].toDoubleArray(), what + ": fromArray(double[]) then toDoubleArray");
            assertArrayEquals(x[0].toFloatArray(), x[1].toFloatArray(), what + ": toFloatArray");
            Tensor fromFloats = backend.memory().fromArray(f, s);
            assertEquals(DType.FLOAT32, fromFloats.dtype(), what + ": fromArray(float[]) dtype");
            assertArrayEquals(f, fromFloats.toFloatArray(), what + ": fromArray(float[]) then toFloatArray");
            assertArrayEquals(x[0].to(other).toDoubleArray(), x[1].to(other).toDoubleArray(), what + ": cast to " + other);
            assertArrayEquals(x[0].to(other).to(dtype).toDoubleArray(), x[1].to(other).to(dtype).toDoubleArray(), what + ": cast to " + other + " and back");
            Tensor moved = x[1].to(ref);
            assertSame(ref, moved.backend(), what + ": to(reference) lands on the reference");
            assertArrayEquals(x[0].toDoubleArray(), moved.toDoubleArray(), what + ": to(reference)");
            Tensor back = moved.to(backend);
            assertSame(backend, back.backend(), what + ": to(backend) lands on the backend under test");
            assertArrayEquals(x[0].toDoubleArray(), back.toDoubleArray(), what + ": reference to(backend)");
            double value = r.nextDouble(-3, 3);
            assertArrayEquals(ref.memory().full(s, dtype, value).toDoubleArray(), backend.memory().full(s, dtype, value).toDoubleArray(), what + ": full " + value);
            assertArrayEquals(ref.memory().zeros(s, dtype).toDoubleArray(), backend.memory().zeros(s, dtype).toDoubleArray(), what + ": zeros");
            assertArrayEquals(ref.memory().ones(s, dtype).toDoubleArray(), backend.memory().ones(s, dtype).toDoubleArray(), what + ": ones");
            assertEquals(ref.memory().scalar(value, dtype).item(), backend.memory().scalar(value, dtype).item(), what + ": scalar " + value);
        });
    }

    /**
     * Tensors made inside a {@link TensorScope} are released when it closes, except the kept ones, which stay readable;
     * where the backend counts its memory ({@code liveBytes() >= 0}) no more than the kept tensor stays held.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void scopesReleaseAllButKeptTensors(DType dtype) {
        Shape s = Shape.of(3, 4);
        double[] v = Gens.values(new SplittableRandom(s.size()), s, Domain.WIDE);
        long before = backend.memory().liveBytes();
        assertTrue(before >= -1, "liveBytes on " + suiteName() + " is " + before + ", expected -1 or a byte count");
        Tensor kept;
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = backend.memory().fromArray(v, s, dtype);
            kept = scope.keep(backend.fused().unary(UnaryOp.TANH, backend.fused().unary(UnaryOp.EXP, x)));
        }
        long after = backend.memory().liveBytes();
        if (before >= 0)
            assertTrue(after - before <= s.size() * dtype.bytes(), "liveBytes on " + suiteName() + " grew by " + (after - before)
                    + " bytes over a closed scope; only the kept " + s + " " + dtype + " tensor may stay");
        Tensor onRef = ref.memory().fromArray(v, s, dtype);
        same("tanh(exp(x)) kept from a closed scope " + s + " " + dtype, ref.fused().unary(UnaryOp.TANH, ref.fused().unary(UnaryOp.EXP, onRef)), kept);
    }

    /** The seeded draws give the reference's numbers for the same seed, and other numbers for another seed. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void randomDraws(DType dtype) {
        Property.forAll("random " + dtype, Gens.seeded(Gens.shape(1, 3, 6)), c -> {
            SplittableRandom r = c.random();
            Shape s = c.value();
            long seed = r.nextLong(), otherSeed = seed + 1 + r.nextInt(1000);
            double lo = r.nextDouble(-2, 0), hi = lo + r.nextDouble(0.5, 3), mean = r.nextDouble(-1, 1), std = r.nextDouble(0.5, 2), p = r.nextDouble(0.2, 0.8);
            String what = " " + s + " " + dtype + " seed " + seed;
            Tensor u = backend.random().uniform(s, dtype, lo, hi, seed);
            same("uniform" + what, ref.random().uniform(s, dtype, lo, hi, seed), u);
            for (double x : u.toDoubleArray()) assertTrue(x >= lo && x <= hi, "uniform" + what + ": " + x + " outside [" + lo + ", " + hi + ")");
            same("normal" + what, ref.random().normal(s, dtype, mean, std, seed), backend.random().normal(s, dtype, mean, std, seed));
            Tensor b = backend.random().bernoulli(s, dtype, p, seed);
            same("bernoulli" + what, ref.random().bernoulli(s, dtype, p, seed), b);
            for (double x : b.toDoubleArray()) assertTrue(x == 0 || x == 1, "bernoulli" + what + ": " + x + " is neither 0 nor 1");
            assertFalse(Arrays.equals(u.toDoubleArray(), backend.random().uniform(s, dtype, lo, hi, otherSeed).toDoubleArray()),
                    "uniform" + what + ": seed " + otherSeed + " gave the same numbers");
            assertFalse(Arrays.equals(backend.random().normal(s, dtype, mean, std, seed).toDoubleArray(),
                    backend.random().normal(s, dtype, mean, std, otherSeed).toDoubleArray()), "normal" + what + ": seed " + otherSeed + " gave the same numbers");
        });
    }
}
