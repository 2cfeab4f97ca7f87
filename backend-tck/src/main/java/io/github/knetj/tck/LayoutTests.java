package io.github.knetj.tck;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.tck.property.Domain;
import io.github.knetj.tck.property.Gen;
import io.github.knetj.tck.property.Gens;
import io.github.knetj.tck.property.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** The suite's layout and linear-algebra part: reshape, permute, broadcastTo, concat, slice, pad, matmul and linear. */
abstract class LayoutTests extends ElementwiseTests {
    LayoutTests(String name, Supplier<Backend> supplier) { super(name, supplier); }

    @org.junit.jupiter.api.Test
    void adoptHoldsTheHandedOverValues() {
        float[] data = {1.5f, -2f, 3.25f, 0f, 7f, -0.5f};
        Tensor t = backend.fused().adopt(data.clone(), Shape.of(2, 3));
        org.junit.jupiter.api.Assertions.assertEquals(Shape.of(2, 3), t.shape());
        org.junit.jupiter.api.Assertions.assertArrayEquals(data, t.toFloatArray());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> backend.fused().adopt(new float[5], Shape.of(2, 3)));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reshape(DType dtype) {
        Property.forAll("reshape " + dtype, Gens.seeded(Gens.shape(0, 4, 5)), c -> {
            Shape s = c.value();
            Tensor[] x = both(c.random(), s, dtype, Domain.WIDE);
            int[] reversed = s.dims();
            for (int i = 0; i < reversed.length / 2; i++) { int t = reversed[i]; reversed[i] = reversed[reversed.length - 1 - i]; reversed[reversed.length - 1 - i] = t; }
            for (Shape to : new Shape[] {Shape.of(s.sizeInt()), Shape.of(reversed), Shape.of(1, s.sizeInt(), 1)})
                same(label("reshape", dtype, s, "to " + to), ref.layout().reshape(x[0], to), backend.layout().reshape(x[1], to));
        });
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void permute(DType dtype) {
        Property.forAll("permute " + dtype, Gens.seeded(Gens.shape(0, 4, 5)), c -> {
            SplittableRandom r = c.random();
            Shape s = c.value();
            int[] perm = new int[s.rank()];
            for (int i = 0; i < perm.length; i++) perm[i] = i;
            for (int i = perm.length - 1; i > 0; i--) { int j = r.nextInt(i + 1), t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
            Tensor[] x = both(r, s, dtype, Domain.WIDE);
            same(label("permute", dtype, s, Arrays.toString(perm)), ref.layout().permute(x[0], perm), backend.layout().permute(x[1], perm));
        });
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void broadcastTo(DType dtype) {
        Property.forAll("broadcastTo " + dtype, Gens.seeded(Gens.broadcastPair(4, 4)), c -> {
            Shape a = c.value()[0], out = Checks.broadcast("broadcastTo", a, c.value()[1]);
            Tensor[] x = both(c.random(), a, dtype, Domain.WIDE);
            same(label("broadcastTo", dtype, a, "to " + out), ref.layout().broadcastTo(x[0], out), backend.layout().broadcastTo(x[1], out));
        });
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void concat(DType dtype) {
        Property.forAll("concat " + dtype, Gens.seeded(Gens.shape(1, 4, 4)), c -> {
            SplittableRandom r = c.random();
            Shape s = c.value();
            int axis = r.nextInt(-s.rank(), s.rank()), pieces = r.nextInt(1, 4);
            Tensor[] onRef = new Tensor[pieces], onBackend = new Tensor[pieces];
            Shape[] shapes = new Shape[pieces];
            for (int i = 0; i < pieces; i++) {
                shapes[i] = s.with(axis, r.nextInt(1, 4));
                Tensor[] x = both(r, shapes[i], dtype, Domain.WIDE);
                onRef[i] = x[0];
                onBackend[i] = x[1];
            }
            same(label("concat", dtype, Arrays.toString(shapes), "axis " + axis), ref.layout().concat(axis, onRef), backend.layout().concat(axis, onBackend));
        });
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void slice(DType dtype) {
        Property.forAll("slice " + dtype, Gens.seeded(Gens.shape(1, 4, 5)), c -> {
            SplittableRandom r = c.random();
            Shape s = c.value();
            int axis = r.nextInt(-s.rank(), s.rank()), len = s.dim(axis);
            int start = r.nextInt(len), end = r.nextInt(start + 1, len + 1);
            Tensor[] x = both(r, s, dtype, Domain.WIDE);
            same(label("slice", dtype, s, "axis " + axis + " [" + start + ", " + end + ")"),
                    ref.layout().slice(x[0], axis, start, end), backend.layout().slice(x[1], axis, start, end));
        });
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void pad(DType dtype) {
        Property.forAll("pad " + dtype, Gens.seeded(Gens.shape(0, 4, 4)), c -> {
            SplittableRandom r = c.random();
            Shape s = c.value();
            int[] before = new int[s.rank()], after = new int[s.rank()];
            for (int a = 0; a < s.rank(); a++) { before[a] = r.nextInt(3); after[a] = r.nextInt(3); }
            double value = r.nextInt(3) == 0 ? 0 : r.nextDouble(-2, 2);
            Tensor[] x = both(r, s, dtype, Domain.WIDE);
            same(label("pad", dtype, s, Arrays.toString(before) + "/" + Arrays.toString(after) + " value " + value),
                    ref.fused().pad(x[0], before, after, value), backend.fused().pad(x[1], before, after, value));
        });
    }

    Stream<Arguments> matmulCases() {
        return Arrays.stream(DType.values()).flatMap(d -> Stream.of("2-D", "3-D", "3-D·2-D").map(kind -> Arguments.of(d, kind)));
    }

    /** Sizes m, k, n, batch and the two transpose flags; sizes up to 20 include every remainder modulo 8 and 16. */
    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("matmulCases")
    void matmul(DType dtype, String kind) {
        matmulProperty("matmul " + kind + " " + dtype, Property.tries(), dtype, kind,
                Gens.intVector(new int[] {1, 1, 1, 1, 0, 0}, new int[] {20, 20, 20, 3, 1, 1}));
    }

    /** Sizes from 64 to 80, to reach the blocked paths of tuned kernels (fewer tries: each case is larger). */
    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("matmulCases")
    void matmulLarge(DType dtype, String kind) {
        matmulProperty("matmul large " + kind + " " + dtype, Math.min(Property.tries(), 6), dtype, kind,
                Gens.intVector(new int[] {64, 64, 64, 1, 0, 0}, new int[] {80, 80, 80, 2, 1, 1}));
    }

    /** A matmul case: the operand shapes as stored and the transpose flags. */
    record MatmulCase(Shape a, boolean transA, Shape b, boolean transB) {
        /** From m, k, n, batch and the two flags (0 or 1), laid out as 2-D, 3-D or 3-D·2-D. */
        static MatmulCase of(String kind, int[] g) {
            int m = g[0], k = g[1], n = g[2], batch = g[3];
            boolean ta = g[4] == 1, tb = g[5] == 1;
            Shape sa = ta ? Shape.of(k, m) : Shape.of(m, k), sb = tb ? Shape.of(n, k) : Shape.of(k, n);
            if (!kind.equals("2-D")) sa = Shape.of(batch, sa.dim(0), sa.dim(1));
            if (kind.equals("3-D")) sb = Shape.of(batch, sb.dim(0), sb.dim(1));
            return new MatmulCase(sa, ta, sb, tb);
        }

        @Override public String toString() { return a + (transA ? "ᵀ" : "") + " · " + b + (transB ? "ᵀ" : ""); }
    }

    private void matmulProperty(String name, int tries, DType dtype, String kind, Gen<int[]> sizes) {
        Property.forAll(name, tries, Gens.seeded(sizes.map(g -> MatmulCase.of(kind, g))), c -> {
            MatmulCase mc = c.value();
            SplittableRandom r = c.random();
            Tensor[] a = both(r, mc.a(), dtype, Domain.ANY), b = both(r, mc.b(), dtype, Domain.ANY);
            same(label("matmul", dtype, mc), ref.linalg().matmul(a[0], b[0], mc.transA(), mc.transB()),
                    backend.linalg().matmul(a[1], b[1], mc.transA(), mc.transB()));
        });
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void linear(DType dtype) {
        Property.forAll("linear " + dtype, Gens.seeded(Gens.intVector(new int[] {1, 1, 1, 0}, new int[] {9, 17, 9, 1})), c -> {
            int batch = c.value()[0], in = c.value()[1], out = c.value()[2];
            boolean bias = c.value()[3] == 1;
            SplittableRandom r = c.random();
            Tensor[] x = both(r, Shape.of(batch, in), dtype, Domain.ANY), w = both(r, Shape.of(out, in), dtype, Domain.ANY);
            Tensor[] b = bias ? both(r, Shape.of(out), dtype, Domain.ANY) : new Tensor[2];
            same(label("linear", dtype, x[0].shape(), w[0].shape(), bias ? b[0].shape() : "no bias"),
                    ref.fused().linear(x[0], w[0], b[0]), backend.fused().linear(x[1], w[1], b[1]));
        });
    }

    @org.junit.jupiter.api.Test
    void linearRejectsMismatchedShapesNamingThem() {
        Tensor x = backend.memory().zeros(Shape.of(4, 3), DType.FLOAT32), w = backend.memory().zeros(Shape.of(5, 2), DType.FLOAT32);
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> backend.fused().linear(x, w, null));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("linear") && e.getMessage().contains("[4, 3]")
                && e.getMessage().contains("[5, 2]"), e.getMessage());
    }
}
