package io.github.knetj.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Float32 exp, expm1, log, log1p, tanh and sigmoid on whole vectors, and a lane sum in a fixed order, built only from
 * IEEE-exact operations (add, multiply, fused multiply-add, divide, compare, bit moves).
 *
 * <p>Why not {@code lanewise(VectorOperators.EXP)} and {@code reduceLanes(ADD)}: the Vector API computes those one way
 * in interpreted code (lane by lane, through {@code Math}) and another once C2 compiles the loop (a vector math
 * library, a tree of adds), so the same inputs gave different bits before and after the JIT warmed up, and training
 * the same model with the same seed twice gave different accuracies. Every operation used here rounds the same way
 * in every tier, so results depend on the inputs only.
 *
 * <p>The polynomials are Cephes' {@code expf} and {@code logf} (S. Moshier), accurate to about one ulp.
 */
final class VectorMath {
    private static final float LOG2E = 1.44269504088896341f, LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    /** 1.5·2²³: adding and subtracting it rounds a float below 2²² to the nearest integer. */
    private static final float ROUNDER = 12582912f;
    private static final float EXP_HI = 88.72283905206835f, EXP_LO = -103.97208f;
    private static final float SQRT_HALF = 0.707106781186547524f;

    private VectorMath() {}

    /** e^x; +∞ above ~88.72, 0 below ~-103.97 (through the subnormals), NaN for NaN. */
    static FloatVector exp(FloatVector x) {
        FloatVector c = x.max(EXP_LO - 1).min(EXP_HI + 1);
        FloatVector n = c.fma(LOG2E, ROUNDER).sub(ROUNDER);
        FloatVector r = times(n, -LN2_HI, c);
        r = times(n, -LN2_LO, r);
        FloatVector p = r.fma(1.9875691500E-4f, 1.3981999507E-3f);
        p = horner(p, r, 8.3334519073E-3f);
        p = horner(p, r, 4.1665795894E-2f);
        p = horner(p, r, 1.6666665459E-1f);
        p = horner(p, r, 5.0000001201E-1f);
        p = p.mul(r.mul(r)).add(r).add(1f);
        // 2^n in two factors, so that results down to the subnormals and up to the largest float are exact scalings.
        IntVector k = (IntVector) n.convert(VectorOperators.F2I, 0);
        IntVector k1 = k.lanewise(VectorOperators.ASHR, 1), k2 = k.sub(k1);
        FloatVector y = p.mul(pow2(k1)).mul(pow2(k2));
        y = y.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_HI));
        y = y.blend(0f, x.compare(VectorOperators.LT, EXP_LO));
        return y.blend(x, x.compare(VectorOperators.NE, x));
    }

    /** 2^k for -126 ≤ k ≤ 127, from the exponent bits. */
    private static FloatVector pow2(IntVector k) {
        return (FloatVector) k.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }

    /** e^x - 1, accurate near 0 (a Taylor series below |x| = 0.5, where e^x - 1 would cancel). */
    static FloatVector expm1(FloatVector x) {
        FloatVector s = x.fma(1f / 40320, 1f / 5040);
        s = horner(s, x, 1f / 720);
        s = horner(s, x, 1f / 120);
        s = horner(s, x, 1f / 24);
        s = horner(s, x, 1f / 6);
        s = horner(s, x, 0.5f);
        s = s.mul(x.mul(x)).add(x);
        return exp(x).sub(1f).blend(s, x.abs().compare(VectorOperators.LT, 0.5f));
    }

    /** ln x; -∞ at 0, NaN below 0 and for NaN, +∞ at +∞; subnormals are scaled up first. */
    static FloatVector log(FloatVector x) {
        VectorMask<Float> tiny = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
        FloatVector xs = x.blend(x.mul(8388608f), tiny);   // ·2²³
        IntVector bits = (IntVector) xs.reinterpretAsInts();
        IntVector e = bits.lanewise(VectorOperators.LSHR, 23).sub(126);
        e = e.blend(e.sub(23), tiny.cast(e.species()));
        // The mantissa m in [0.5, 1): exponent bits replaced by those of 0.5.
        FloatVector m = (FloatVector) bits.and(0x807FFFFF).or(0x3F000000).reinterpretAsFloats();
        FloatVector ef = (FloatVector) e.convert(VectorOperators.I2F, 0);
        VectorMask<Float> low = m.compare(VectorOperators.LT, SQRT_HALF);
        ef = ef.blend(ef.sub(1f), low);
        FloatVector t = m.blend(m.add(m), low).sub(1f);
        FloatVector z = t.mul(t);
        FloatVector p = t.fma(7.0376836292E-2f, -1.1514610310E-1f);
        p = horner(p, t, 1.1676998740E-1f);
        p = horner(p, t, -1.2420140846E-1f);
        p = horner(p, t, 1.4249322787E-1f);
        p = horner(p, t, -1.6668057665E-1f);
        p = horner(p, t, 2.0000714765E-1f);
        p = horner(p, t, -2.4999993993E-1f);
        p = horner(p, t, 3.3333331174E-1f);
        FloatVector y = p.mul(t).mul(z);
        y = times(ef, LN2_LO, y);
        y = times(z, -0.5f, y);
        y = t.add(y);
        y = times(ef, LN2_HI, y);
        y = y.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
        y = y.blend(Float.NaN, x.compare(VectorOperators.LT, 0f).or(x.compare(VectorOperators.NE, x)));
        return y.blend(x, x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
    }

    /** ln(1 + x), accurate for small x: log(u)·x/(u - 1) with u = 1 + x corrects the rounding of u (Goldberg). */
    static FloatVector log1p(FloatVector x) {
        FloatVector u = x.add(1f), d = u.sub(1f);
        FloatVector y = log(u).mul(x.div(d));
        return y.blend(x, d.compare(VectorOperators.EQ, 0f)).blend(u, u.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
    }

    /** tanh x = e/(e + 2) with e = expm1(2|x|), with the sign of x (also of -0); |x| is capped at 9.1, where tanh is 1 in float32. */
    static FloatVector tanh(FloatVector x) {
        FloatVector e = expm1(x.abs().min(9.1f).mul(2f));
        IntVector t = e.div(e.add(2f)).reinterpretAsInts(), sign = x.reinterpretAsInts().and(Integer.MIN_VALUE);
        return ((FloatVector) t.or(sign).reinterpretAsFloats()).blend(x, x.compare(VectorOperators.NE, x));
    }

    /** 1/(1 + e^-x): exact at both ends, e^-x = ∞ gives 0 and e^-x = 0 gives 1. */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector one = FloatVector.broadcast(x.species(), 1f);
        return one.div(one.add(exp(x.neg())));
    }

    /** p·r + c, one Horner step. */
    private static FloatVector horner(FloatVector p, FloatVector r, float c) { return p.fma(r, FloatVector.broadcast(p.species(), c)); }

    /** a·b + c with one rounding. */
    private static FloatVector times(FloatVector a, float b, FloatVector c) { return a.fma(FloatVector.broadcast(a.species(), b), c); }

    /** The lanes' sum, in lane order, in double. */
    static double sum(FloatVector v) {
        double s = 0;
        for (int i = 0; i < v.length(); i++) s += v.lane(i);
        return s;
    }
}
