package io.github.knetj.tck;

import io.github.knetj.api.Backend;
import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.UnaryOp;
import io.github.knetj.tck.property.Domain;
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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The suite's element-wise and reduction part: every unary and binary op, affine, the reductions, argmax and sumTo. */
abstract class ElementwiseTests extends SuiteBase {
    ElementwiseTests(String name, Supplier<Backend> supplier) { super(name, supplier); }

    Stream<Arguments> unaryCases() {
        return Arrays.stream(DType.values()).flatMap(d -> Arrays.stream(UnaryOp.values()).map(op -> Arguments.of(d, op)));
    }

    Stream<Arguments> binaryCases() {
        return Arrays.stream(DType.values()).flatMap(d -> Arrays.stream(BinaryOp.values()).map(op -> Arguments.of(d, op)));
    }

    Stream<Arguments> reductionCases() {
        return Arrays.stream(DType.values()).flatMap(d -> Stream.of("sum", "mean", "max", "logsumexp").map(op -> Arguments.of(d, op)));
    }

    /** Where an op's inputs must lie: the poles of log, sqrt and 1/x are avoided; smooth ops get the wide range. */
    static Domain domainOf(UnaryOp op) {
        return switch (op) {
            case LOG, SQRT, RECIPROCAL -> Domain.POSITIVE;
            case RELU, ABS, SIGN, STEP, LEAKY_RELU, ELU, SELU -> Domain.ANY;
            default -> Domain.WIDE;
        };
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("unaryCases")
    void unary(DType dtype, UnaryOp op) {
        Property.forAll("unary " + op.label() + " " + dtype, Gens.seeded(Gens.shape(0, 4, 5)), c -> {
            SplittableRandom r = c.random();
            double param = op == UnaryOp.LEAKY_RELU || op == UnaryOp.ELU ? r.nextDouble(0.01, 2) : op.defaultParam();
            Tensor[] x = both(r, c.value(), dtype, domainOf(op));
            same(label(op.label(), dtype, c.value()) + " param " + param, ref.fused().unary(op, x[0], param), backend.fused().unary(op, x[1], param));
        });
    }

    /** Every unary op at zero, at ±1 and far out in the tails (±30, ±800), where naive formulas overflow or give NaN. */
    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("unaryCases")
    void unaryAtEdges(DType dtype, UnaryOp op) {
        double[] v = {-800, -30, -1, -0.5, 0, 0.5, 1, 30, 800};
        Tensor[] x = both(v, Shape.of(v.length), dtype);
        same(label(op.label(), dtype, Arrays.toString(v)), ref.fused().unary(op, x[0]), backend.fused().unary(op, x[1]));
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("binaryCases")
    void binary(DType dtype, BinaryOp op) {
        Property.forAll("binary " + op.label() + " " + dtype, Gens.seeded(Gens.broadcastPair(4, 4)), c -> {
            SplittableRandom r = c.random();
            Shape sa = c.value()[0], sb = c.value()[1];
            Tensor[] a, b;
            switch (op) {
                case POW -> { a = both(r, sa, dtype, Domain.POSITIVE); b = both(r, sb, dtype, Domain.ANY); }
                case GT, GE, LT, LE, EQ, NE -> { a = coarse(r, sa, dtype); b = coarse(r, sb, dtype); }
                default -> { a = both(r, sa, dtype, Domain.ANY); b = both(r, sb, dtype, Domain.ANY); }
            }
            same(label(op.label(), dtype, sa, sb), ref.fused().binary(op, a[0], b[0]), backend.fused().binary(op, a[1], b[1]));
        });
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void affine(DType dtype) {
        Property.forAll("affine " + dtype, Gens.seeded(Gens.shape(0, 4, 5)), c -> {
            SplittableRandom r = c.random();
            double scale = r.nextDouble(-3, 3), shift = r.nextDouble(-3, 3);
            Tensor[] x = both(r, c.value(), dtype, Domain.WIDE);
            same(label("affine", dtype, c.value()) + " scale " + scale + " shift " + shift,
                    ref.fused().affine(x[0], scale, shift), backend.fused().affine(x[1], scale, shift));
        });
    }

    /** The fused gradient-descent update against the reference's affine and binary. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void sgdStep(DType dtype) {
        Property.forAll("sgdStep " + dtype, Gens.seeded(Gens.shape(0, 4, 5)), c -> {
            SplittableRandom r = c.random();
            Tensor[] w = both(r, c.value(), dtype, Domain.ANY), d = both(r, c.value(), dtype, Domain.ANY);
            double lr = r.nextDouble(0, 1);
            same(label("sgdStep", dtype, c.value()) + " lr " + lr, ref.fused().sgdStep(w[0], d[0], lr), backend.fused().sgdStep(w[1], d[1], lr));
        });
    }

    /** The fused Adam update against the reference's composition of unary, binary and affine. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void adamStep(DType dtype) {
        Property.forAll("adamStep " + dtype, Gens.seeded(Gens.shape(0, 4, 5)), c -> {
            SplittableRandom r = c.random();
            Shape s = c.value();
            Tensor[] w = both(r, s, dtype, Domain.ANY), g = both(r, s, dtype, Domain.ANY);
            Tensor[] m = both(r, s, dtype, Domain.ANY), v = both(r, s, dtype, Domain.POSITIVE);
            double b1 = r.nextDouble(0, 0.99), b2 = r.nextDouble(0.9, 0.9999), step = r.nextDouble(0, 0.1), scale = r.nextDouble(1, 30);
            Tensor[] want = ref.fused().adamStep(w[0], g[0], m[0], v[0], b1, b2, step, scale, 1e-8);
            Tensor[] got = backend.fused().adamStep(w[1], g[1], m[1], v[1], b1, b2, step, scale, 1e-8);
            String what = label("adamStep", dtype, s) + " betas " + b1 + ", " + b2 + " step " + step + " scale " + scale;
            for (int i = 0; i < 3; i++) same(what + " output " + i, want[i], got[i]);
        });
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("reductionCases")
    void reductions(DType dtype, String op) {
        Property.forAll(op + " " + dtype, Gens.seeded(Gens.shape(0, 4, 5)), c -> {
            SplittableRandom r = c.random();
            Shape s = c.value();
            int[] axes = randomAxes(r, s);
            Tensor[] x = both(r, s, dtype, Domain.WIDE);
            for (boolean keep : new boolean[] {false, true}) {
                String what = label(op, dtype, s) + " axes " + Arrays.toString(axes) + " keepdims " + keep;
                same(what, reduce(ref, op, x[0], axes, keep), reduce(backend, op, x[1], axes, keep));
            }
        });
    }

    /** Null (every axis), empty (every axis) or a random subset, some of them negative. */
    static int[] randomAxes(SplittableRandom r, Shape s) {
        int pick = r.nextInt(8);
        if (pick == 0) return null;
        if (pick == 1) return new int[0];
        int[] axes = new int[s.rank()];
        int n = 0;
        for (int a = 0; a < s.rank(); a++) if (r.nextBoolean()) axes[n++] = r.nextBoolean() ? a : a - s.rank();
        return n == 0 && s.rank() > 0 ? new int[] {r.nextInt(s.rank())} : Arrays.copyOf(axes, n);
    }

    private static Tensor reduce(Backend b, String op, Tensor x, int[] axes, boolean keep) {
        return switch (op) {
            case "sum" -> b.reductions().sum(x, axes, keep);
            case "mean" -> b.fused().mean(x, axes, keep);
            case "max" -> b.reductions().max(x, axes, keep);
            case "logsumexp" -> b.fused().logsumexp(x, axes, keep);
            default -> throw new IllegalArgumentException("unknown reduction " + op);
        };
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void argmax(DType dtype) {
        Property.forAll("argmax " + dtype, Gens.seeded(Gens.shape(1, 4, 5)), c -> {
            SplittableRandom r = c.random();
            Shape s = c.value();
            int axis = r.nextInt(-s.rank(), s.rank());
            Tensor[] x = coarse(r, s, dtype);   // ties are frequent: the first index must win
            assertArrayEquals(ref.fused().argmax(x[0], axis), backend.fused().argmax(x[1], axis),
                    () -> label("argmax", dtype, s) + " axis " + axis + " on " + suiteName() + ", x = " + Arrays.toString(x[0].toDoubleArray()));
        });
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void sumTo(DType dtype) {
        Property.forAll("sumTo " + dtype, Gens.seeded(Gens.broadcastPair(4, 4)), c -> {
            Shape out = Checks.broadcast("sumTo", c.value()[0], c.value()[1]);
            Tensor[] x = both(c.random(), out, dtype, Domain.WIDE);
            for (Shape to : c.value())
                sameGrad(label("sumTo", dtype, out, "to " + to), ref.reductions().sumTo(x[0], to), backend.reductions().sumTo(x[1], to));
        });
    }
}
