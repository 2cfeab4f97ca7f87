package io.github.knetj.cpu.fast;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The optimizer updates as SIMD loops. Adam's float32 step computes every element in double and rounds once per
 * output (the reference's numbers, bit for bit): the scalar loop's float↔double conversions, double division and
 * square root were not vectorised by C2 and took 10% of a LeNet step (431,080 parameters, about 2.5 ms). Here floats
 * widen to as many doubles (eight on AVX-512, four on AVX2), which go through the same operations in the same order,
 * without fused multiply-adds, so every lane rounds exactly as the scalar code does.
 */
final class OptimizerLoops {
    /** The machine's widest doubles (8 on AVX-512, 4 on AVX2), and as many floats, which widen into them. */
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final int L = F.length();

    /**
     * Whether to run these loops: with at least four doubles a vector (AVX2 and wider), unless
     * {@code -Dknetj.cpu.scalarAdam=true} (for comparisons). They once needed AVX-512; on the 2026-12-08 Zen 3 (AVX2 only)
     * a step over LeNet's 431,080 parameters then ran the scalar loop, 2.16–2.23 ms on one thread, against 0.77–0.82 here.
     */
    static final boolean AVAILABLE = D.length() >= 4 && !Boolean.getBoolean("knetj.cpu.scalarAdam");

    private OptimizerLoops() {}

    /**
     * The Adam step over the whole vectors of [from, from+len), as {@code Kernels.adam} defines it; returns where they
     * end, for the scalar loop to finish.
     */
    static int adam(float[] w, float[] g, float[] m, float[] v, float[] ow, float[] om, float[] ov, int from, int len,
                    double beta1, double beta2, double stepSize, double denomScale, double eps) {
        if (!AVAILABLE) return from;
        double c1 = 1 - beta1, c2 = 1 - beta2;
        int i = from, end = from + len;
        for (; i <= end - L; i += L) {
            DoubleVector gi = widen(g, i);
            FloatVector mi = widen(m, i).mul(beta1).add(gi.mul(c1)).convertShape(VectorOperators.D2F, F, 0).reinterpretAsFloats();
            FloatVector vi = widen(v, i).mul(beta2).add(gi.mul(c2).mul(gi)).convertShape(VectorOperators.D2F, F, 0).reinterpretAsFloats();
            mi.intoArray(om, i);
            vi.intoArray(ov, i);
            DoubleVector denom = toDouble(vi).sqrt().mul(denomScale).add(eps);
            DoubleVector wi = widen(w, i).sub(toDouble(mi).mul(stepSize).div(denom));
            wi.convertShape(VectorOperators.D2F, F, 0).reinterpretAsFloats().intoArray(ow, i);
        }
        return i;
    }

    private static DoubleVector widen(float[] a, int i) { return toDouble(FloatVector.fromArray(F, a, i)); }

    private static DoubleVector toDouble(FloatVector x) { return (DoubleVector) x.convertShape(VectorOperators.F2D, D, 0); }
}
