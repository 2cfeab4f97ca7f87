package io.github.knetj.cpu.fast;

import io.github.knetj.cpu.ScalarKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 SIMD loops of backward passes that the composed defaults spread over several element-wise kernels: GELU's
 * ten, softmax's four and ReLU's two become one pass each. Whole vectors first, then a scalar tail with the double
 * formula of {@link ScalarKernels}; the math comes from {@link VectorMath} and sums add their lanes in a fixed order, as
 * in {@link FloatLoops}, so results do not change when the JIT compiles these loops.
 */
final class GradientLoops {
    private static final VectorSpecies<Float> S = VectorMath.S;
    private static final int L = S.length();
    private static final FloatVector HALF = FloatVector.broadcast(S, 0.5f), MINUS_HALF = FloatVector.broadcast(S, -0.5f),
            SQRT_HALF = FloatVector.broadcast(S, (float) Math.sqrt(0.5)), INV_SQRT_2PI = FloatVector.broadcast(S, (float) (1 / Math.sqrt(2 * Math.PI))),
            ZERO = FloatVector.zero(S), ONE = FloatVector.broadcast(S, 1f);

    private GradientLoops() {}

    /**
     * dx = dy·(Φ(x) + x·φ(x)), Φ(x) = ½ + ½·erf(x/√2), φ(x) = e^(−x²/2)/√(2π), in two loops over the range, x·φ(x)
     * first into dx: with erf and exp in one loop C2 stopped inlining (1.7 against 0.6 ns an element).
     */
    static void geluBackward(float[] x, float[] dy, float[] dx, int off, int n) {
        int i = 0, bound = S.loopBound(n);
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, off + i);
            VectorMath.exp(v.mul(v).mul(MINUS_HALF)).mul(INV_SQRT_2PI).mul(v).intoArray(dx, off + i);
        }
        for (i = 0; i < bound; i += L) {
            FloatVector cdf = VectorMath.erf(FloatVector.fromArray(S, x, off + i).mul(SQRT_HALF)).fma(HALF, HALF);
            FloatVector.fromArray(S, dy, off + i).mul(cdf.add(FloatVector.fromArray(S, dx, off + i))).intoArray(dx, off + i);
        }
        for (; i < n; i++) dx[off + i] = (float) (dy[off + i] * ScalarKernels.geluSlope(x[off + i]));
    }

    /**
     * dx = dy·step(x), the step 1 where x > 0 and else 0, multiplied rather than selected, so that the bits are those of
     * the composed mul(dy, step(x)): −0 for a negative dy, NaN for an infinite one, where x ≤ 0.
     */
    static void reluBackward(float[] x, float[] dy, float[] dx, int off, int n) {
        int i = 0, bound = S.loopBound(n);
        for (; i < bound; i += L) {
            VectorMask<Float> on = FloatVector.fromArray(S, x, off + i).compare(VectorOperators.GT, 0f);
            FloatVector.fromArray(S, dy, off + i).mul(ZERO.blend(ONE, on)).intoArray(dx, off + i);
        }
        for (; i < n; i++) dx[off + i] = dy[off + i] * (x[off + i] > 0 ? 1f : 0f);
    }

    /** dx = y·(dy − s) with s = Σ dy·y over the row, its lanes added in order; dx may be dy (in place). */
    static void softmaxBackward(float[] y, int yo, float[] dy, int go, float[] dx, int xo, int n) {
        int i = 0, bound = S.loopBound(n);
        FloatVector acc = FloatVector.zero(S);
        for (; i < bound; i += L) acc = FloatVector.fromArray(S, dy, go + i).fma(FloatVector.fromArray(S, y, yo + i), acc);
        double s = 0;
        for (int lane = 0; lane < L && bound > 0; lane++) s += acc.lane(lane);   // in lane order, here: a call would take acc boxed
        for (; i < n; i++) s += (double) dy[go + i] * y[yo + i];
        FloatVector sv = FloatVector.broadcast(S, (float) s);
        for (i = 0; i < bound; i += L) {
            FloatVector yv = FloatVector.fromArray(S, y, yo + i);
            yv.mul(FloatVector.fromArray(S, dy, go + i).sub(sv)).intoArray(dx, xo + i);
        }
        for (; i < n; i++) dx[xo + i] = (float) (y[yo + i] * (dy[go + i] - s));
    }
}
