package io.github.knetj.cpu.fast;

import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.UnaryOp;
import jdk.incubator.vector.FloatVector;
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

    /**
     * y = op(x) lane by lane; false when the op has no SIMD form here. Each op built on {@link VectorMath} has a loop
     * method of its own: in one loop with every op, C2 reached its inlining budget and called the math functions
     * with boxed vectors.
     */
    static boolean unary(UnaryOp op, double param, float[] x, int xo, float[] y, int yo, int n) {
        int bound = S.loopBound(n);
        switch (op) {
            case ERF -> erf(x, xo, y, yo, bound);
            case GELU -> gelu(x, xo, y, yo, bound);
            case EXP -> exp(x, xo, y, yo, bound);
            case LOG -> log(x, xo, y, yo, bound);
            case TANH -> tanh(x, xo, y, yo, bound);
            case SIGMOID -> sigmoid(x, xo, y, yo, bound);
            case ELU -> elu((float) param, 1f, x, xo, y, yo, bound);
            case SELU -> elu((float) UnaryOp.SELU_ALPHA, (float) UnaryOp.SELU_SCALE, x, xo, y, yo, bound);
            case SOFTPLUS -> softplus(1f, x, xo, y, yo, bound);
            case LOGSIGMOID -> softplus(-1f, x, xo, y, yo, bound);
            default -> cheap(op, (float) param, x, xo, y, yo, bound);
        }
        for (int i = bound; i < n; i++) y[yo + i] = (float) op.apply(x[xo + i], param);
        return true;
    }

    /** The ops of a few instructions each, which fit one loop. */
    private static void cheap(UnaryOp op, float p, float[] x, int xo, float[] y, int yo, int bound) {
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f);
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector r = switch (op) {
                case NEG -> v.neg();
                case ABS -> v.abs();
                case SQRT -> v.sqrt();
                case SQUARE -> v.mul(v);
                case RECIPROCAL -> one.div(v);
                case RELU -> zero.blend(v, v.compare(VectorOperators.GT, 0f));
                case LEAKY_RELU -> v.mul(p).blend(v, v.compare(VectorOperators.GT, 0f));
                case SIGN -> v.blend(one, v.compare(VectorOperators.GT, 0f)).blend(one.neg(), v.compare(VectorOperators.LT, 0f));
                case STEP -> zero.blend(one, v.compare(VectorOperators.GT, 0f));
                default -> throw new IllegalStateException("unary: no SIMD form of " + op.label());
            };
            r.intoArray(y, yo + i);
        }
    }

    private static void exp(float[] x, int xo, float[] y, int yo, int bound) {
        for (int i = 0; i < bound; i += L) VectorMath.exp(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
    }

    private static void log(float[] x, int xo, float[] y, int yo, int bound) {
        for (int i = 0; i < bound; i += L) VectorMath.log(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
    }

    private static void tanh(float[] x, int xo, float[] y, int yo, int bound) {
        for (int i = 0; i < bound; i += L) VectorMath.tanh(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
    }

    private static void erf(float[] x, int xo, float[] y, int yo, int bound) {
        for (int i = 0; i < bound; i += L) VectorMath.erf(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
    }

    /** x·Φ(x) = ½x·(1 + erf(x/√2)). */
    private static void gelu(float[] x, int xo, float[] y, int yo, int bound) {
        FloatVector half = FloatVector.broadcast(S, 0.5f), one = FloatVector.broadcast(S, 1f), invSqrt2 = FloatVector.broadcast(S, (float) Math.sqrt(0.5));
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            VectorMath.erf(v.mul(invSqrt2)).add(one).mul(v.mul(half)).intoArray(y, yo + i);
        }
    }

    private static void sigmoid(float[] x, int xo, float[] y, int yo, int bound) {
        for (int i = 0; i < bound; i += L) VectorMath.sigmoid(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
    }

    /** scale·(x above 0, else alpha·(e^x − 1)): elu with scale 1 (an exact product), selu with its constants. */
    private static void elu(float alpha, float scale, float[] x, int xo, float[] y, int yo, int bound) {
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            VectorMath.expm1(v).mul(alpha).blend(v, v.compare(VectorOperators.GT, 0f)).mul(scale).intoArray(y, yo + i);
        }
    }

    /**
     * sign·softplus(sign·x), softplus(v) = max(v, 0) + log1p(e^−|v|), overflow-free: softplus with sign 1, log σ(x) =
     * −softplus(−x) with sign −1 (exact negations). Two passes, one function each: log1p and exp in one loop outgrow
     * C2's inlining budget (see {@link #unary}); y holds e^−|v| between them.
     */
    private static void softplus(float sign, float[] x, int xo, float[] y, int yo, int bound) {
        for (int i = 0; i < bound; i += L) VectorMath.exp(FloatVector.fromArray(S, x, xo + i).mul(sign).abs().neg()).intoArray(y, yo + i);
        FloatVector zero = FloatVector.zero(S);
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i).mul(sign);
            v.max(zero).add(VectorMath.log1p(FloatVector.fromArray(S, y, yo + i))).mul(sign).intoArray(y, yo + i);
        }
    }

    /**
     * y[i] = a[ao + i·as] op b[bo + i·bs] with strides 0 or 1 (not both 0), one loop per stride case, each with the
     * ops written in it. (A loop that chose per step between a broadcast vector and a load merged the two, and C2 then
     * boxed every vector it loaded; a helper taking vectors was at times compiled apart, and then took them boxed; one
     * loop with strides as variables kept C2 from removing its bounds checks: see docs/benchmarks.md.)
     */
    static void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int yo, int n) {
        int bound = op == BinaryOp.POW ? 0 : S.loopBound(n);   // pow: see DoubleLoops.unary
        if (as == 0) broadcastFirst(op, a[ao], b, bo, y, yo, bound);
        else if (bs == 0) broadcastSecond(op, a, ao, b[bo], y, yo, bound);
        else both(op, a, ao, b, bo, y, yo, bound);
        for (int i = bound; i < n; i++) y[yo + i] = (float) op.apply(a[ao + i * as], b[bo + i * bs]);
    }

    private static void both(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] y, int yo, int bound) {
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f);
        for (int i = 0; i < bound; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i), z = FloatVector.fromArray(S, b, bo + i);
            FloatVector r = switch (op) {
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

    private static void broadcastFirst(BinaryOp op, float a, float[] b, int bo, float[] y, int yo, int bound) {
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f), x = FloatVector.broadcast(S, a);
        for (int i = 0; i < bound; i += L) {
            FloatVector z = FloatVector.fromArray(S, b, bo + i);
            FloatVector r = switch (op) {
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

    private static void broadcastSecond(BinaryOp op, float[] a, int ao, float b, float[] y, int yo, int bound) {
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f), z = FloatVector.broadcast(S, b);
        for (int i = 0; i < bound; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i);
            FloatVector r = switch (op) {
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

    static void affine(float[] x, int xo, float[] y, int yo, int n, double scale, double shift) {
        int i = 0, bound = S.loopBound(n);
        float s = (float) scale, t = (float) shift;
        for (; i < bound; i += L) FloatVector.fromArray(S, x, xo + i).fma(s, t).intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] = (float) (scale * x[xo + i] + shift);
    }

    static double sum(float[] x, int xo, int n) {
        int i = 0, bound = S.loopBound(n);
        FloatVector acc = FloatVector.zero(S);
        // The loaded vector is the receiver and the running sum the argument, here and below: see the package doc.
        for (; i < bound; i += L) acc = FloatVector.fromArray(S, x, xo + i).add(acc);
        double s = 0;
        for (int lane = 0; lane < L && bound > 0; lane++) s += acc.lane(lane);   // in lane order, here: a call would take acc boxed
        for (; i < n; i++) s += x[xo + i];
        return s;
    }

    static double max(float[] x, int xo, int n) {
        int i = 0, bound = S.loopBound(n);
        double m = Double.NEGATIVE_INFINITY;
        if (bound > 0) {
            FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (; i < bound; i += L) acc = FloatVector.fromArray(S, x, xo + i).max(acc);
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
            acc = e.add(acc);
        }
        double s = 0;
        for (int lane = 0; lane < L && bound > 0; lane++) s += acc.lane(lane);   // in lane order, here: a call would take acc boxed
        for (; i < n; i++) {
            float e = (float) Math.exp(x[xo + i] - shift);
            y[yo + i] = e;
            s += e;
        }
        return s;
    }
}
