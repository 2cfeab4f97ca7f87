package io.github.knetj.tck.property;

import io.github.knetj.api.Checks;
import io.github.knetj.api.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The generators the backend suites are built from: shapes (rank 0–4, size-1 axes frequent), pairs of shapes that
 * broadcast, integers, choices and tensor values kept inside a {@link Domain}. Shapes shrink toward fewer and
 * smaller axes; integers shrink toward their lower bound.
 */
public final class Gens {
    private Gens() {}

    /** A value together with the seed of the random numbers (tensor values) that go with it; shrinking keeps the seed. */
    public record Seeded<T>(T value, long seed) {
        /** A fresh random source for this case's values. */
        public SplittableRandom random() { return new SplittableRandom(seed); }

        @Override public String toString() { return Property.describe(value) + " (value seed " + seed + ")"; }
    }

    /** Shapes of rank minRank..maxRank with dimensions 1..maxDim, a third of them 1 (the broadcasting edge case). */
    public static Gen<Shape> shape(int minRank, int maxRank, int maxDim) {
        return new Gen<>() {
            @Override public Shape generate(SplittableRandom r) {
                int[] d = new int[r.nextInt(minRank, maxRank + 1)];
                for (int i = 0; i < d.length; i++) d[i] = dim(r, maxDim);
                return Shape.of(d);
            }

            @Override public List<Shape> shrink(Shape s) { return shrinkShape(s, minRank); }
        };
    }

    /** Two shapes that broadcast together, of ranks up to maxRank (often different), with size-1 axes sprinkled in. */
    public static Gen<Shape[]> broadcastPair(int maxRank, int maxDim) {
        return new Gen<>() {
            @Override public Shape[] generate(SplittableRandom r) {
                int[] out = new int[r.nextInt(0, maxRank + 1)];
                for (int i = 0; i < out.length; i++) out[i] = dim(r, maxDim);
                return new Shape[] {operand(r, out), operand(r, out)};
            }

            /** A suffix of the broadcast shape (a lower rank) with some axes replaced by 1. */
            private Shape operand(SplittableRandom r, int[] out) {
                int rank = r.nextInt(4) == 0 ? r.nextInt(0, out.length + 1) : out.length;
                int[] d = Arrays.copyOfRange(out, out.length - rank, out.length);
                for (int i = 0; i < d.length; i++) if (r.nextInt(3) == 0) d[i] = 1;
                return Shape.of(d);
            }

            @Override public List<Shape[]> shrink(Shape[] p) {
                List<Shape[]> out = new ArrayList<>();
                // Simpler shapes for one operand, kept only when the pair still broadcasts.
                for (int k = 0; k < 2; k++) for (Shape s : shrinkShape(p[k], 0)) {
                    Shape[] c = p.clone();
                    c[k] = s;
                    if (broadcasts(c[0], c[1])) out.add(c);
                }
                // Shrinking an aligned axis in both operands at once keeps their non-1 lengths equal.
                int rank = Math.max(p[0].rank(), p[1].rank());
                for (int fromEnd = 1; fromEnd <= rank; fromEnd++) {
                    int len = Math.max(dimFromEnd(p[0], fromEnd), dimFromEnd(p[1], fromEnd));
                    if (len > 1) out.add(new Shape[] {withFromEnd(p[0], fromEnd, len / 2), withFromEnd(p[1], fromEnd, len / 2)});
                }
                return out;
            }
        };
    }

    /** Integers in [lo, hi], shrinking toward lo. */
    public static Gen<Integer> ints(int lo, int hi) {
        return new Gen<>() {
            @Override public Integer generate(SplittableRandom r) { return r.nextInt(lo, hi + 1); }

            @Override public List<Integer> shrink(Integer v) {
                Set<Integer> out = new LinkedHashSet<>();
                if (v > lo) { out.add(lo); out.add(lo + (v - lo) / 2); out.add(v - 1); }
                out.remove(v);
                return new ArrayList<>(out);
            }
        };
    }

    /** Vectors of integers, element i in [lo[i], hi[i]], each shrinking toward its lower bound (tuples of sizes). */
    public static Gen<int[]> intVector(int[] lo, int[] hi) {
        return new Gen<>() {
            @Override public int[] generate(SplittableRandom r) {
                int[] v = new int[lo.length];
                for (int i = 0; i < v.length; i++) v[i] = r.nextInt(lo[i], hi[i] + 1);
                return v;
            }

            @Override public List<int[]> shrink(int[] v) {
                List<int[]> out = new ArrayList<>();
                for (int i = 0; i < v.length; i++) {
                    for (int smaller : ints(lo[i], hi[i]).shrink(v[i])) {
                        int[] c = v.clone();
                        c[i] = smaller;
                        out.add(c);
                    }
                }
                return out;
            }
        };
    }

    /** One of the given choices, shrinking toward the earlier ones. */
    @SafeVarargs
    public static <T> Gen<T> oneOf(T... choices) {
        List<T> list = List.of(choices);
        return new Gen<>() {
            @Override public T generate(SplittableRandom r) { return list.get(r.nextInt(list.size())); }

            @Override public List<T> shrink(T v) {
                int i = list.indexOf(v);
                return i <= 0 ? List.of() : list.subList(0, i);
            }
        };
    }

    /** Cases of {@code gen} each paired with a seed for its values; the case shrinks, the seed stays. */
    public static <T> Gen<Seeded<T>> seeded(Gen<T> gen) {
        return new Gen<>() {
            @Override public Seeded<T> generate(SplittableRandom r) { return new Seeded<>(gen.generate(r), r.nextLong()); }

            @Override public List<Seeded<T>> shrink(Seeded<T> s) {
                return gen.shrink(s.value()).stream().map(v -> new Seeded<>(v, s.seed())).toList();
            }
        };
    }

    /** Row-major values for a tensor of this shape, drawn from the domain (they do not shrink: the shape does). */
    public static Gen<double[]> values(Shape shape, Domain domain) { return r -> values(r, shape, domain); }

    /** Row-major values for a tensor of this shape, drawn from the domain with the given random source. */
    public static double[] values(SplittableRandom r, Shape shape, Domain domain) {
        double[] v = new double[shape.sizeInt()];
        for (int i = 0; i < v.length; i++) v[i] = domain.draw(r);
        return v;
    }

    /** A dimension in 1..maxDim, 1 a third of the time. */
    private static int dim(SplittableRandom r, int maxDim) { return r.nextInt(3) == 0 ? 1 : r.nextInt(1, maxDim + 1); }

    /** Simpler shapes: each axis dropped (fewer axes first), then each axis set to 1, halved, or one shorter. */
    static List<Shape> shrinkShape(Shape s, int minRank) {
        Set<Shape> out = new LinkedHashSet<>();
        int[] d = s.dims();
        if (d.length > minRank) {
            for (int i = 0; i < d.length; i++) {
                int[] c = new int[d.length - 1];
                System.arraycopy(d, 0, c, 0, i);
                System.arraycopy(d, i + 1, c, i, d.length - i - 1);
                out.add(Shape.of(c));
            }
        }
        for (int i = 0; i < d.length; i++) {
            for (int smaller : new int[] {1, d[i] / 2, d[i] - 1}) {
                if (smaller < 1 || smaller >= d[i]) continue;
                int[] c = d.clone();
                c[i] = smaller;
                out.add(Shape.of(c));
            }
        }
        return new ArrayList<>(out);
    }

    private static int dimFromEnd(Shape s, int fromEnd) { return fromEnd <= s.rank() ? s.dim(s.rank() - fromEnd) : 1; }

    private static Shape withFromEnd(Shape s, int fromEnd, int len) {
        if (fromEnd > s.rank() || s.dim(s.rank() - fromEnd) == 1) return s;
        return s.with(s.rank() - fromEnd, len);
    }

    /** True when the two shapes broadcast together. */
    public static boolean broadcasts(Shape a, Shape b) {
        try {
            Checks.broadcast("broadcast", a, b);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
