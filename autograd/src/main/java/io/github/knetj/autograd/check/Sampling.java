package io.github.knetj.autograd.check;

import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.check.OpCatalog.Case;
import io.github.knetj.autograd.check.OpCatalog.Input;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The random shapes and values the {@link OpCatalog} draws: small shapes (gradient checks perturb every element),
 * and values in domains where the op under test is smooth.
 */
final class Sampling {
    private Sampling() {}

    /** A case from its op name, attributes, function and inputs. */
    static Case of(String op, String attrs, Function<List<Value>, Value> f, Input... inputs) {
        return new Case(op, attrs, List.of(inputs), f);
    }

    static Input in(String name, Shape shape, double[] values) { return new Input(name, shape, values); }

    /** A shape of rank minRank..maxRank, dimensions 1..maxDim. */
    static Shape shape(SplittableRandom r, int minRank, int maxRank, int maxDim) {
        int[] d = new int[r.nextInt(minRank, maxRank + 1)];
        for (int i = 0; i < d.length; i++) d[i] = r.nextInt(1, maxDim + 1);
        return Shape.of(d);
    }

    /** |x| in [0.2, 2] with either sign: away from the kinks of relu, abs and sign at 0, and from the pole of 1/x. */
    static double[] any(SplittableRandom r, Shape s) {
        double[] v = new double[s.sizeInt()];
        for (int i = 0; i < v.length; i++) v[i] = (r.nextBoolean() ? 1 : -1) * r.nextDouble(0.2, 2.0);
        return v;
    }

    /** [0.2, 2]: bases of log, sqrt and pow. */
    static double[] positive(SplittableRandom r, Shape s) {
        double[] v = new double[s.sizeInt()];
        for (int i = 0; i < v.length; i++) v[i] = r.nextDouble(0.2, 2.0);
        return v;
    }

    /** (0.05, 0.95): probabilities. */
    static double[] unit(SplittableRandom r, Shape s) {
        double[] v = new double[s.sizeInt()];
        for (int i = 0; i < v.length; i++) v[i] = r.nextDouble(0.05, 0.95);
        return v;
    }

    /**
     * Distinct values at least 0.06 apart (a shuffled grid of step 0.1 with ±0.02 jitter), so that a max never
     * ties and a perturbation of up to 0.03 never changes which element is largest.
     */
    static double[] distinct(SplittableRandom r, Shape s) {
        int n = s.sizeInt();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (i - n / 2) * 0.1 + r.nextDouble(-0.02, 0.02);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            double t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return v;
    }

    /**
     * Values on the grid 0.2·k + offset (k ≠ 0, |k| ≤ 8) with ±0.02 jitter: two tensors drawn with offsets 0 and 0.1
     * differ by at least 0.06 everywhere, so maximum and minimum never tie.
     */
    static double[] grid(SplittableRandom r, Shape s, double offset) {
        double[] v = new double[s.sizeInt()];
        for (int i = 0; i < v.length; i++) {
            int k = r.nextInt(1, 9) * (r.nextBoolean() ? 1 : -1);
            v[i] = 0.2 * k + offset + r.nextDouble(-0.02, 0.02);
        }
        return v;
    }

    /**
     * Values of |x| in [0.2, 2] whose every group along {@code axes} has variance at least 0.25, so that
     * normalisation divides by a standard deviation far from zero.
     */
    static double[] spread(SplittableRandom r, Shape s, int... axes) {
        for (int attempt = 0; ; attempt++) {
            double[] v = any(r, s);
            if (minGroupVariance(v, s, axes) >= 0.25 || attempt == 1000) return v;
        }
    }

    private static double minGroupVariance(double[] v, Shape s, int[] axes) {
        boolean[] reduced = new boolean[s.rank()];
        for (int a : axes) reduced[s.axis(a)] = true;
        int[] strides = s.strides();
        double[] sum = new double[v.length], sq = new double[v.length];
        int[] count = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            int key = 0;   // the flat index with the reduced axes set to 0: one key per group
            for (int a = 0; a < s.rank(); a++) if (!reduced[a]) key += (i / strides[a]) % s.dim(a) * strides[a];
            sum[key] += v[i];
            sq[key] += v[i] * v[i];
            count[key]++;
        }
        double min = Double.POSITIVE_INFINITY;
        for (int k = 0; k < v.length; k++) {
            if (count[k] == 0) continue;
            double mean = sum[k] / count[k];
            min = Math.min(min, sq[k] / count[k] - mean * mean);
        }
        return min;
    }

    /** Two shapes that broadcast together: a random output shape, each operand a suffix of it with some axes 1. */
    static Shape[] broadcastPair(SplittableRandom r, int maxRank, int maxDim) {
        int[] out = shape(r, 0, maxRank, maxDim).dims();
        return new Shape[]{operand(r, out), operand(r, out)};
    }

    /** A shape that broadcasts to {@code out}: a suffix of it (fewer leading axes a quarter of the time) with some axes 1. */
    static Shape operand(SplittableRandom r, int[] out) {
        int rank = r.nextInt(4) == 0 ? r.nextInt(0, out.length + 1) : out.length;
        int[] d = Arrays.copyOfRange(out, out.length - rank, out.length);
        for (int i = 0; i < d.length; i++) if (r.nextInt(3) == 0) d[i] = 1;
        return Shape.of(d);
    }

    /** A random subset of the axes of a rank-r shape (empty: every axis), in random order and sign. */
    static int[] axes(SplittableRandom r, int rank) {
        List<Integer> out = new ArrayList<>();
        for (int a = 0; a < rank; a++) if (r.nextBoolean()) out.add(r.nextBoolean() ? a : a - rank);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** n class labels in [0, classes). */
    static int[] labels(SplittableRandom r, int n, int classes) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = r.nextInt(classes);
        return y;
    }

    /** A random permutation of 0..n-1. */
    static int[] permutation(SplittableRandom r, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
