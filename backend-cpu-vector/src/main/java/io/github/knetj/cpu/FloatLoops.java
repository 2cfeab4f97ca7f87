package io.github.knetj.cpu;

import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 SIMD loops of {@link VectorKernels}: whole vectors of the preferred species, then a scalar tail computed
 * with the op's own definition ({@link UnaryOp#apply}, {@link BinaryOp#apply}). Ops without a lanewise form (gelu,
 * erf) are not here: {@link #unary} answers false for them.
 * exp, log, tanh and their kin come from {@link VectorMath}, never from the Vector API's own lanewise forms, and sums
 * add their lanes in a fixed order, so that results do not change when the JIT compiles these loops.
 * {@link DoubleLoops} is its float64 twin, line for line.
 */
final class FloatLoops {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private FloatLoops() {}

    /** y = op(x) lane by lane; false when the op has no SIMD form here. */
    static boolean unary(UnaryOp op, double param, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0, bound = S.loopBound(n);
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f);
        float p = (float) param;
        switch (op) {
            case GELU, ERF -> { return false; }
            default -> { }
        }
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i), r;
            switch (op) {
                case NEG -> r = v.neg();
                case ABS -> r = v.abs();
                case EXP -> r = VectorMath.exp(v);
                case LOG -> r = VectorMath.log(v);
                case SQRT -> r = v.sqrt();
                case SQUARE -> r = v.mul(v);
                case RECIPROCAL -> r = one.div(v);
                case TANH -> r = VectorMath.tanh(v);
                case SIGMOID -> r = VectorMath.sigmoid(v);
                case RELU -> r = zero.blend(v, v.compare(VectorOperators.GT, 0f));
                case LEAKY_RELU -> r = v.mul(p).blend(v, v.compare(VectorOperators.GT, 0f));
                case ELU -> r = VectorMath.expm1(v).mul(p).blend(v, v.compare(VectorOperators.GT, 0f));
                case SELU -> r = VectorMath.expm1(v).mul((float) UnaryOp.SELU_ALPHA)
                        .blend(v, v.compare(VectorOperators.GT, 0f)).mul((float) UnaryOp.SELU_SCALE);
                case SOFTPLUS -> r = softplus(v, zero);
                case LOGSIGMOID -> r = softplus(v.neg(), zero).neg();
                case SIGN -> r = v.blend(one, v.compare(VectorOperators.GT, 0f)).blend(one.neg(), v.compare(VectorOperators.LT, 0f));
                case STEP -> r = zero.blend(one, v.compare(VectorOperators.GT, 0f));
                default -> throw new IllegalStateException("unary: no SIMD form of " + op.label());
            }
            r.intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] = (float) op.apply(x[xo + i], param);
        return true;
    }

    /** max(x,0) + log1p(e^-|x|), the overflow-free softplus. */
    private static FloatVector softplus(FloatVector v, FloatVector zero) {
        return v.max(zero).add(VectorMath.log1p(VectorMath.exp(v.abs().neg())));
    }

    /** y[i] = a[ao + i·as] op b[bo + i·bs] with strides 0 or 1 (not both 0). */
    static void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int yo, int n) {
        int i = 0, bound = op == BinaryOp.POW ? 0 : S.loopBound(n);   // pow: see DoubleLoops.unary
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f);
        FloatVector ca = as == 0 ? FloatVector.broadcast(S, a[ao]) : null, cb = bs == 0 ? FloatVector.broadcast(S, b[bo]) : null;
        for (; i < bound; i += L) {
            FloatVector va = as == 0 ? ca : FloatVector.fromArray(S, a, ao + i);
            FloatVector vb = bs == 0 ? cb : FloatVector.fromArray(S, b, bo + i);
            FloatVector r = switch (op) {
                case ADD -> va.add(vb);
                case SUB -> va.sub(vb);
                case MUL -> va.mul(vb);
                case DIV -> va.div(vb);
                case POW -> throw new IllegalStateException("binary: pow runs scalar");
                case MAXIMUM -> va.max(vb);
                case MINIMUM -> va.min(vb);
                case GT -> mask(va.compare(VectorOperators.GT, vb), zero, one);
                case GE -> mask(va.compare(VectorOperators.GE, vb), zero, one);
                case LT -> mask(va.compare(VectorOperators.LT, vb), zero, one);
                case LE -> mask(va.compare(VectorOperators.LE, vb), zero, one);
                case EQ -> mask(va.compare(VectorOperators.EQ, vb), zero, one);
                case NE -> mask(va.compare(VectorOperators.NE, vb), zero, one);
            };
            r.intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] = (float) op.apply(a[ao + i * as], b[bo + i * bs]);
    }

    private static FloatVector mask(VectorMask<Float> m, FloatVector zero, FloatVector one) { return zero.blend(one, m); }

    static void affine(float[] x, int xo, float[] y, int yo, int n, double scale, double shift) {
        int i = 0, bound = S.loopBound(n);
        float s = (float) scale, t = (float) shift;
        for (; i < bound; i += L) FloatVector.fromArray(S, x, xo + i).fma(s, t).intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] = (float) (scale * x[xo + i] + shift);
    }

    static double sum(float[] x, int xo, int n) {
        int i = 0, bound = S.loopBound(n);
        FloatVector acc = FloatVector.zero(S);
        for (; i < bound; i += L) acc = acc.add(FloatVector.fromArray(S, x, xo + i));
        double s = bound > 0 ? VectorMath.sum(acc) : 0;
        for (; i < n; i++) s += x[xo + i];
        return s;
    }

    static double max(float[] x, int xo, int n) {
        int i = 0, bound = S.loopBound(n);
        double m = Double.NEGATIVE_INFINITY;
        if (bound > 0) {
            FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (; i < bound; i += L) acc = acc.max(FloatVector.fromArray(S, x, xo + i));
            m = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) m = Math.max(m, x[xo + i]);
        return m;
    }

    static void addTo(float[] acc, int ao, float[] x, int xo, int n) {
        int i = 0, bound = S.loopBound(n);
        for (; i < bound; i += L) FloatVector.fromArray(S, acc, ao + i).add(FloatVector.fromArray(S, x, xo + i)).intoArray(acc, ao + i);
        for (; i < n; i++) acc[ao + i] += x[xo + i];
    }

    static void maxTo(float[] acc, int ao, float[] x, int xo, int n) {
        int i = 0, bound = S.loopBound(n);
        for (; i < bound; i += L) FloatVector.fromArray(S, acc, ao + i).max(FloatVector.fromArray(S, x, xo + i)).intoArray(acc, ao + i);
        for (; i < n; i++) acc[ao + i] = Math.max(acc[ao + i], x[xo + i]);
    }

    static double expSum(float[] x, int xo, float[] y, int yo, int n, double shift) {
        int i = 0, bound = S.loopBound(n);
        FloatVector acc = FloatVector.zero(S);
        float t = (float) shift;
        for (; i < bound; i += L) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S, x, xo + i).sub(t));
            e.intoArray(y, yo + i);
            acc = acc.add(e);
        }
        double s = bound > 0 ? VectorMath.sum(acc) : 0;
        for (; i < n; i++) {
            float e = (float) Math.exp(x[xo + i] - shift);
            y[yo + i] = e;
            s += e;
        }
        return s;
    }
}
