package io.github.knetj.cpu.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 exp, expm1, log, log1p, tanh, sigmoid and erf on whole vectors, built only from
 * IEEE-exact operations (add, multiply, fused multiply-add, divide, compare, bit moves).
 *
 * <p>Why not {@code lanewise(VectorOperators.EXP)} and {@code reduceLanes(ADD)}: the Vector API computes those one way
 * in interpreted code (lane by lane, through {@code Math}) and another once C2 compiles the loop (a vector math
 * library, a tree of adds), so the same inputs gave different bits before and after the JIT warmed up, and training
 * the same model with the same seed twice gave different accuracies. Every operation used here rounds the same way
 * in every tier, so results depend on the inputs only.
 *
 * <p>The polynomials are Cephes' {@code expf} and {@code logf} (S. Moshier), accurate to about one ulp.
 *
 * <p>Every constant is a vector made once: C2 stops inlining a method once its graph passes ~18,000 nodes, an
 * operation with a scalar operand costs about twice the nodes of one with a vector, and what it then calls apart takes
 * and returns boxed vectors, an object per 16 floats. With scalar constants a loop of {@code tanh} passed the limit.
 * (To check: {@code -XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation}, then look for {@code NodeCountInliningCutoff}.)
 * The functions therefore work on the preferred species only, the one every caller uses.
 */
final class VectorMath {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final FloatVector ZERO = c(0f), ONE = c(1f), TWO = c(2f), HALF = c(0.5f), INF = c(Float.POSITIVE_INFINITY);
    private static final FloatVector LOG2E = c(1.44269504088896341f), LN2_HI = c(0.693359375f), LN2_LO = c(-2.12194440e-4f);
    private static final FloatVector MINUS_LN2_HI = c(-0.693359375f), MINUS_LN2_LO = c(2.12194440e-4f);
    /** 1.5·2²³: adding and subtracting it rounds a float below 2²² to the nearest integer. */
    private static final FloatVector ROUNDER = c(12582912f);
    private static final FloatVector EXP_HI = c(88.72283905206835f), EXP_LO = c(-103.97208f);
    private static final FloatVector EXP_CLAMP_HI = c(88.72283905206835f + 1), EXP_CLAMP_LO = c(-103.97208f - 1);
    // Polynomial coefficients are named fields, not arrays: C2 trusts a static final field as a constant, but not the
    // elements of a static final array, and with arrays erf ran 3.4× slower (2.9 against 0.85 ns an element).
    private static final FloatVector EXP_P0 = c(1.9875691500E-4f), EXP_P1 = c(1.3981999507E-3f), EXP_P2 = c(8.3334519073E-3f),
            EXP_P3 = c(4.1665795894E-2f), EXP_P4 = c(1.6666665459E-1f), EXP_P5 = c(5.0000001201E-1f);
    private static final FloatVector EXPM1_S0 = c(1f / 40320), EXPM1_S1 = c(1f / 5040), EXPM1_S2 = c(1f / 720), EXPM1_S3 = c(1f / 120),
            EXPM1_S4 = c(1f / 24), EXPM1_S5 = c(1f / 6), EXPM1_S6 = c(0.5f);
    private static final FloatVector LOG_P0 = c(7.0376836292E-2f), LOG_P1 = c(-1.1514610310E-1f), LOG_P2 = c(1.1676998740E-1f),
            LOG_P3 = c(-1.2420140846E-1f), LOG_P4 = c(1.4249322787E-1f), LOG_P5 = c(-1.6668057665E-1f), LOG_P6 = c(2.0000714765E-1f),
            LOG_P7 = c(-2.4999993993E-1f), LOG_P8 = c(3.3333331174E-1f);
    private static final FloatVector SQRT_HALF = c(0.707106781186547524f), TWO_POW_23 = c(8388608f), MIN_NORMAL = c(Float.MIN_NORMAL);
    private static final FloatVector MINUS_HALF = c(-0.5f), TANH_CAP = c(9.1f), NAN = c(Float.NaN), MINUS_INF = c(Float.NEGATIVE_INFINITY);
    /**
     * erf on [−4, 4] as x·P(x²)/Q(x²), the float32 rational approximation of Eigen's {@code generic_fast_erf_float}
     * (as in TensorFlow and XLA), a few ulp; beyond ±4 erf is ±1 in float32.
     */
    private static final FloatVector ERF_CAP = c(4f), MINUS_ERF_CAP = c(-4f);
    private static final FloatVector ERF_P0 = c(-2.72614225801306e-10f), ERF_P1 = c(2.77068142495902e-08f), ERF_P2 = c(-2.10102402082508e-06f),
            ERF_P3 = c(-5.69250639462346e-05f), ERF_P4 = c(-7.34990630326855e-04f), ERF_P5 = c(-2.95459980854025e-03f), ERF_P6 = c(-1.60960333262415e-02f);
    private static final FloatVector ERF_Q0 = c(-1.45660718464996e-05f), ERF_Q1 = c(-2.13374055278905e-04f), ERF_Q2 = c(-1.68282697438203e-03f),
            ERF_Q3 = c(-7.37332916720468e-03f), ERF_Q4 = c(-1.42647390514189e-02f);
    private static final IntVector EXP_BIAS = IntVector.broadcast(S.withLanes(int.class), 127);

    private VectorMath() {}

    private static FloatVector c(float v) { return FloatVector.broadcast(S, v); }

    /** e^x; +∞ above ~88.72, 0 below ~-103.97 (through the subnormals), NaN for NaN. */
    static FloatVector exp(FloatVector x) {
        FloatVector c = x.max(EXP_CLAMP_LO).min(EXP_CLAMP_HI);
        FloatVector n = c.fma(LOG2E, ROUNDER).sub(ROUNDER);
        FloatVector p = expReduced(c, n);
        // 2^n in two factors, so that results down to the subnormals and up to the largest float are exact scalings.
        IntVector k = (IntVector) n.convert(VectorOperators.F2I, 0);
        IntVector k1 = k.lanewise(VectorOperators.ASHR, 1), k2 = k.sub(k1);
        FloatVector y = p.mul(pow2(k1)).mul(pow2(k2));
        y = y.blend(INF, x.compare(VectorOperators.GT, EXP_HI));
        y = y.blend(ZERO, x.compare(VectorOperators.LT, EXP_LO));
        return y.blend(x, x.compare(VectorOperators.NE, x));
    }

    /**
     * e^x for 0 ≤ x ≤ 18.2, the range tanh uses: the same bits as {@link #exp} there (2^n is one exact scaling; no
     * clamps, no special values) in about half of its operations, which keeps a loop of tanh within C2's budget.
     */
    private static FloatVector expModerate(FloatVector x) {
        FloatVector n = x.fma(LOG2E, ROUNDER).sub(ROUNDER);
        return expReduced(x, n).mul(pow2((IntVector) n.convert(VectorOperators.F2I, 0)));
    }

    /** e^r for r = x − n·ln 2 (the Cephes polynomial), with n = round(x·log₂e). */
    private static FloatVector expReduced(FloatVector x, FloatVector n) {
        FloatVector r = n.fma(MINUS_LN2_HI, x);
        r = n.fma(MINUS_LN2_LO, r);
        FloatVector p = r.fma(EXP_P0, EXP_P1).fma(r, EXP_P2).fma(r, EXP_P3).fma(r, EXP_P4).fma(r, EXP_P5);
        return p.mul(r.mul(r)).add(r).add(ONE);
    }

    /** 2^k for -126 ≤ k ≤ 127, from the exponent bits. */
    private static FloatVector pow2(IntVector k) {
        return (FloatVector) k.add(EXP_BIAS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }

    /** e^x - 1, accurate near 0 (a Taylor series below |x| = 0.5, where e^x - 1 would cancel). */
    static FloatVector expm1(FloatVector x) {
        return exp(x).sub(ONE).blend(expm1Series(x), x.abs().compare(VectorOperators.LT, HALF));
    }

    /** e^x - 1 as its Taylor series to x⁸, for |x| below 0.5. */
    private static FloatVector expm1Series(FloatVector x) {
        FloatVector s = x.fma(EXPM1_S0, EXPM1_S1).fma(x, EXPM1_S2).fma(x, EXPM1_S3).fma(x, EXPM1_S4).fma(x, EXPM1_S5).fma(x, EXPM1_S6);
        return s.mul(x.mul(x)).add(x);
    }

    /** ln x; -∞ at 0, NaN below 0 and for NaN, +∞ at +∞; subnormals are scaled up first. */
    static FloatVector log(FloatVector x) {
        VectorMask<Float> tiny = x.compare(VectorOperators.LT, MIN_NORMAL);
        FloatVector xs = x.blend(x.mul(TWO_POW_23), tiny);
        IntVector bits = (IntVector) xs.reinterpretAsInts();
        IntVector e = bits.lanewise(VectorOperators.LSHR, 23).sub(126);
        e = e.blend(e.sub(23), tiny.cast(e.species()));
        // The mantissa m in [0.5, 1): exponent bits replaced by those of 0.5.
        FloatVector m = (FloatVector) bits.and(0x807FFFFF).or(0x3F000000).reinterpretAsFloats();
        FloatVector ef = (FloatVector) e.convert(VectorOperators.I2F, 0);
        VectorMask<Float> low = m.compare(VectorOperators.LT, SQRT_HALF);
        ef = ef.blend(ef.sub(ONE), low);
        FloatVector t = m.blend(m.add(m), low).sub(ONE);
        FloatVector z = t.mul(t);
        FloatVector p = t.fma(LOG_P0, LOG_P1).fma(t, LOG_P2).fma(t, LOG_P3).fma(t, LOG_P4).fma(t, LOG_P5).fma(t, LOG_P6).fma(t, LOG_P7).fma(t, LOG_P8);
        FloatVector y = p.mul(t).mul(z);
        y = ef.fma(LN2_LO, y);
        y = z.fma(MINUS_HALF, y);
        y = t.add(y);
        y = ef.fma(LN2_HI, y);
        y = y.blend(MINUS_INF, x.compare(VectorOperators.EQ, ZERO));
        y = y.blend(NAN, x.compare(VectorOperators.LT, ZERO).or(x.compare(VectorOperators.NE, x)));
        return y.blend(x, x.compare(VectorOperators.EQ, INF));
    }

    /** ln(1 + x), accurate for small x: log(u)·x/(u - 1) with u = 1 + x corrects the rounding of u (Goldberg). */
    static FloatVector log1p(FloatVector x) {
        FloatVector u = x.add(ONE), d = u.sub(ONE);
        FloatVector y = log(u).mul(x.div(d));
        return y.blend(x, d.compare(VectorOperators.EQ, ZERO)).blend(u, u.compare(VectorOperators.EQ, INF));
    }

    /** tanh x = e/(e + 2) with e = expm1(2|x|), with the sign of x (also of -0); |x| is capped at 9.1, where tanh is 1 in float32. */
    static FloatVector tanh(FloatVector x) {
        FloatVector u = x.abs().min(TANH_CAP).mul(TWO);
        FloatVector e = expModerate(u).sub(ONE).blend(expm1Series(u), u.compare(VectorOperators.LT, HALF));   // expm1(u), u ≥ 0
        IntVector t = e.div(e.add(TWO)).reinterpretAsInts(), sign = x.reinterpretAsInts().and(Integer.MIN_VALUE);
        return ((FloatVector) t.or(sign).reinterpretAsFloats()).blend(x, x.compare(VectorOperators.NE, x));
    }

    /** 1/(1 + e^-x): exact at both ends, e^-x = ∞ gives 0 and e^-x = 0 gives 1. */
    static FloatVector sigmoid(FloatVector x) {
        return ONE.div(ONE.add(exp(x.neg())));
    }

    /** The error function: x clamped to [−4, 4], then x·P(x²)/Q(x²) (see {@link #ERF_P0}); NaN stays NaN. */
    static FloatVector erf(FloatVector x) {
        FloatVector v = x.min(ERF_CAP).max(MINUS_ERF_CAP), v2 = v.mul(v);
        FloatVector p = ERF_P0.fma(v2, ERF_P1).fma(v2, ERF_P2).fma(v2, ERF_P3).fma(v2, ERF_P4).fma(v2, ERF_P5).fma(v2, ERF_P6);
        FloatVector q = ERF_Q0.fma(v2, ERF_Q1).fma(v2, ERF_Q2).fma(v2, ERF_Q3).fma(v2, ERF_Q4);
        return v.mul(p).div(q).blend(x, x.compare(VectorOperators.NE, x));
    }
}
