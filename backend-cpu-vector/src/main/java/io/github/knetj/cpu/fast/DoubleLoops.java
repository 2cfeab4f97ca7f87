package io.github.knetj.cpu.fast;

import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.UnaryOp;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float64 SIMD loops of {@link VectorKernels}: whole vectors of the preferred species, then a scalar tail computed
 * with the op's own definition ({@link UnaryOp#apply}, {@link BinaryOp#apply}). Ops without a lanewise form (gelu,
 * erf) are not here: {@link #unary} answers false for them.
 * {@link FloatLoops} is its float32 twin, except that here exp, log, tanh and their kin, and expSum, are left to the
 * scalar kernels (see {@link #unary}).
 */
final class DoubleLoops {
    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private DoubleLoops() {}

    /** y = op(x) lane by lane; false when the op has no SIMD form here. */
    static boolean unary(UnaryOp op, double param, double[] x, int xo, double[] y, int yo, int n) {
        int i = 0, bound = S.loopBound(n);
        DoubleVector zero = DoubleVector.zero(S), one = DoubleVector.broadcast(S, 1.0);
        double p = param;
        switch (op) {
            // The Vector API's transcendental lanewise ops round one way interpreted and another once compiled, so the
            // same input would give different bits before and after JIT warm-up (see VectorMath); float64 is for
            // checking, and Math's scalar functions are the same in every tier.
            case GELU, ERF, EXP, LOG, TANH, SIGMOID, ELU, SELU, SOFTPLUS, LOGSIGMOID -> { return false; }
            default -> { }
        }
        for (; i < bound; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, x, xo + i), r;
            switch (op) {
                case NEG -> r = v.neg();
                case ABS -> r = v.abs();
                case SQRT -> r = v.sqrt();
                case SQUARE -> r = v.mul(v);
                case RECIPROCAL -> r = one.div(v);
                case RELU -> r = zero.blend(v, v.compare(VectorOperators.GT, 0.0));
                case LEAKY_RELU -> r = v.mul(p).blend(v, v.compare(VectorOperators.GT, 0.0));
                case SIGN -> r = v.blend(one, v.compare(VectorOperators.GT, 0.0)).blend(one.neg(), v.compare(VectorOperators.LT, 0.0));
                case STEP -> r = zero.blend(one, v.compare(VectorOperators.GT, 0.0));
                default -> throw new IllegalStateException("unary: no SIMD form of " + op.label());
            }
            r.intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] = op.apply(x[xo + i], param);
        return true;
    }

    /** y[i] = a[ao + i·as] op b[bo + i·bs] with strides 0 or 1 (not both 0), one loop per stride case as in FloatLoops#binary. */
    static void binary(BinaryOp op, double[] a, int ao, int as, double[] b, int bo, int bs, double[] y, int yo, int n) {
        int bound = op == BinaryOp.POW ? 0 : S.loopBound(n);   // pow: see unary
        if (as == 0) broadcastFirst(op, a[ao], b, bo, y, yo, bound);
        else if (bs == 0) broadcastSecond(op, a, ao, b[bo], y, yo, bound);
        else both(op, a, ao, b, bo, y, yo, bound);
        for (int i = bound; i < n; i++) y[yo + i] = op.apply(a[ao + i * as], b[bo + i * bs]);
    }

    private static void both(BinaryOp op, double[] a, int ao, double[] b, int bo, double[] y, int yo, int bound) {
        DoubleVector zero = DoubleVector.zero(S), one = DoubleVector.broadcast(S, 1.0);
        for (int i = 0; i < bound; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, a, ao + i), z = DoubleVector.fromArray(S, b, bo + i);
            DoubleVector r = switch (op) {
                case ADD -> x.add(z);
                case SUB -> x.sub(z);
                case MUL -> x.mul(z);
                case DIV -> x.div(z);
                case POW -> throw new IllegalStateException("binary: pow runs scalar");
                case MAXIMUM -> x.max(z);
                case MINIMUM -> x.min(z);
                case GT -> zero.blend(one, x.compare(VectorOperators.GT, z));
                case GE -> zero.blend(one, x.compare(VectorOperators.GE, z));
                case LT -> zero.blend(one, x.compare(VectorOperators.LT, z));
                case LE -> zero.blend(one, x.compare(VectorOperators.LE, z));
                case EQ -> zero.blend(one, x.compare(VectorOperators.EQ, z));
                case NE -> zero.blend(one, x.compare(VectorOperators.NE, z));
            };
            r.intoArray(y, yo + i);
        }
    }

    private static void broadcastFirst(BinaryOp op, double a, double[] b, int bo, double[] y, int yo, int bound) {
        DoubleVector zero = DoubleVector.zero(S), one = DoubleVector.broadcast(S, 1.0), x = DoubleVector.broadcast(S, a);
        for (int i = 0; i < bound; i += L) {
            DoubleVector z = DoubleVector.fromArray(S, b, bo + i);
            DoubleVector r = switch (op) {
                case ADD -> x.add(z);
                case SUB -> x.sub(z);
                case MUL -> x.mul(z);
                case DIV -> x.div(z);
                case POW -> throw new IllegalStateException("binary: pow runs scalar");
                case MAXIMUM -> x.max(z);
                case MINIMUM -> x.min(z);
                case GT -> zero.blend(one, x.compare(VectorOperators.GT, z));
                case GE -> zero.blend(one, x.compare(VectorOperators.GE, z));
                case LT -> zero.blend(one, x.compare(VectorOperators.LT, z));
                case LE -> zero.blend(one, x.compare(VectorOperators.LE, z));
                case EQ -> zero.blend(one, x.compare(VectorOperators.EQ, z));
                case NE -> zero.blend(one, x.compare(VectorOperators.NE, z));
            };
            r.intoArray(y, yo + i);
        }
    }

    private static void broadcastSecond(BinaryOp op, double[] a, int ao, double b, double[] y, int yo, int bound) {
        DoubleVector zero = DoubleVector.zero(S), one = DoubleVector.broadcast(S, 1.0), z = DoubleVector.broadcast(S, b);
        for (int i = 0; i < bound; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, a, ao + i);
            DoubleVector r = switch (op) {
                case ADD -> x.add(z);
                case SUB -> x.sub(z);
                case MUL -> x.mul(z);
                case DIV -> x.div(z);
                case POW -> throw new IllegalStateException("binary: pow runs scalar");
                case MAXIMUM -> x.max(z);
                case MINIMUM -> x.min(z);
                case GT -> zero.blend(one, x.compare(VectorOperators.GT, z));
                case GE -> zero.blend(one, x.compare(VectorOperators.GE, z));
                case LT -> zero.blend(one, x.compare(VectorOperators.LT, z));
                case LE -> zero.blend(one, x.compare(VectorOperators.LE, z));
                case EQ -> zero.blend(one, x.compare(VectorOperators.EQ, z));
                case NE -> zero.blend(one, x.compare(VectorOperators.NE, z));
            };
            r.intoArray(y, yo + i);
        }
    }

    static void affine(double[] x, int xo, double[] y, int yo, int n, double scale, double shift) {
        int i = 0, bound = S.loopBound(n);
        double s = scale, t = shift;
        for (; i < bound; i += L) DoubleVector.fromArray(S, x, xo + i).fma(s, t).intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] = (scale * x[xo + i] + shift);
    }

    static double sum(double[] x, int xo, int n) {
        int i = 0, bound = S.loopBound(n);
        DoubleVector acc = DoubleVector.zero(S);
        // The loaded vector is the receiver and the running sum the argument, here and below: see the package doc.
        for (; i < bound; i += L) acc = DoubleVector.fromArray(S, x, xo + i).add(acc);
        double s = 0;
        for (int lane = 0; lane < L && bound > 0; lane++) s += acc.lane(lane);   // in lane order, in place (as FloatLoops.sum)
        for (; i < n; i++) s += x[xo + i];
        return s;
    }

    static double max(double[] x, int xo, int n) {
        int i = 0, bound = S.loopBound(n);
        double m = Double.NEGATIVE_INFINITY;
        if (bound > 0) {
            DoubleVector acc = DoubleVector.broadcast(S, Double.NEGATIVE_INFINITY);
            for (; i < bound; i += L) acc = DoubleVector.fromArray(S, x, xo + i).max(acc);
            m = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) m = Math.max(m, x[xo + i]);
        return m;
    }

    static void addTo(double[] acc, int ao, double[] x, int xo, int n) {
        int i = 0, bound = S.loopBound(n);
        for (; i < bound; i += L) DoubleVector.fromArray(S, acc, ao + i).add(DoubleVector.fromArray(S, x, xo + i)).intoArray(acc, ao + i);
        for (; i < n; i++) acc[ao + i] += x[xo + i];
    }

    static void maxTo(double[] acc, int ao, double[] x, int xo, int n) {
        int i = 0, bound = S.loopBound(n);
        for (; i < bound; i += L) DoubleVector.fromArray(S, acc, ao + i).max(DoubleVector.fromArray(S, x, xo + i)).intoArray(acc, ao + i);
        for (; i < n; i++) acc[ao + i] = Math.max(acc[ao + i], x[xo + i]);
    }
}
