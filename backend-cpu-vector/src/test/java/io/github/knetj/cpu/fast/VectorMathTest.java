package io.github.knetj.cpu.fast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** {@link VectorMath} against {@code Math} in double, special values included, and the same bits before and after the JIT. */
class VectorMathTest {
    private static final int L = FloatLoops.S.length();

    private static float[] apply(UnaryOperator<FloatVector> f, float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i += L) f.apply(FloatVector.fromArray(FloatLoops.S, x, i)).intoArray(y, i);
        return y;
    }

    /** Inputs over [lo, hi] (uniform and near zero), padded to whole vectors. */
    private static float[] inputs(double lo, double hi, float... extra) {
        Random r = new Random(7);
        int n = (4096 + extra.length + L - 1) / L * L;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = i % 3 == 0 ? (float) (r.nextGaussian() * 1e-3) : (float) (lo + (hi - lo) * r.nextDouble());
        for (int i = 0; i < extra.length; i++) x[i] = extra[i];
        return x;
    }

    /** Every result within {@code ulps} units in the last place of the correctly rounded float; NaN and ∞ exact, subnormals within MIN_NORMAL. */
    private static void close(UnaryOperator<FloatVector> f, DoubleUnaryOperator ref, float[] x, double ulps) {
        float[] y = apply(f, x);
        for (int i = 0; i < x.length; i++) {
            float want = (float) ref.applyAsDouble(x[i]);
            String at = "at x = " + x[i] + ": got " + y[i] + ", want " + want;
            if (Float.isNaN(want) || Float.isInfinite(want) || Math.abs(want) < Float.MIN_NORMAL) {
                assertEquals(want, y[i], Math.abs(want) < Float.MIN_NORMAL ? Float.MIN_NORMAL : 0, at);
                continue;
            }
            assertTrue(Math.abs(y[i] - want) <= ulps * Math.ulp(want), at);
        }
    }

    private static final float NAN = Float.NaN, INF = Float.POSITIVE_INFINITY;

    @Test void expIsWithinTwoUlps() {
        close(VectorMath::exp, Math::exp, inputs(-87, 88.7, 0f, -0f, 88.72f, 89f, -104f, -200f, 1000f, NAN, INF, -INF), 2);
        close(VectorMath::exp, Math::exp, inputs(-103, -87, -88f, -100f), 2);   // subnormal results: absolute error < MIN_NORMAL
    }

    @Test void logIsWithinTwoUlps() {
        close(VectorMath::log, Math::log, inputs(1e-30, 1e30, 0f, -0f, -1f, 1f, Float.MIN_VALUE, Float.MIN_NORMAL / 3, Float.MAX_VALUE, NAN, INF, -INF), 2);
        close(VectorMath::log, Math::log, inputs(0.5, 2), 2);
    }

    @Test void expm1Log1pTanhSigmoidAreClose() {
        close(VectorMath::expm1, Math::expm1, inputs(-20, 20, 0f, -0f, 1e-8f, -1e-8f, 0.49f, 0.51f, NAN), 3);
        close(VectorMath::log1p, Math::log1p, inputs(-0.9, 1e6, 0f, -0f, 1e-10f, INF, NAN), 3);
        close(VectorMath::tanh, Math::tanh, inputs(-30, 30, 0f, -0f, 1e-20f, 9.2f, -9.2f, INF, -INF, NAN), 3);
        close(VectorMath::sigmoid, x -> 1 / (1 + Math.exp(-x)), inputs(-100, 100, 0f, INF, -INF, NAN), 3);
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(apply(VectorMath::tanh, inputs(-1, 1, -0f))[0]), "tanh(-0) = -0");
    }

    @Test void sameBitsBeforeAndAfterTheJitCompilesThem() {
        float[] x = inputs(-20, 20);
        float[] e0 = apply(VectorMath::exp, x), l0 = apply(v -> VectorMath.log(v.abs()), x), t0 = apply(VectorMath::tanh, x);
        double s0 = FloatLoops.sum(x, 0, x.length), z0 = FloatLoops.expSum(x, 0, new float[x.length], 0, x.length, 20);
        for (int k = 0; k < 3000; k++) {   // enough calls for C2 to compile these loops (checked with -XX:+PrintCompilation)
            apply(VectorMath::exp, x);
            apply(v -> VectorMath.log(v.abs()), x);
            apply(VectorMath::tanh, x);
            FloatLoops.sum(x, 0, x.length);
            FloatLoops.expSum(x, 0, new float[x.length], 0, x.length, 20);
        }
        assertArrayEquals(e0, apply(VectorMath::exp, x));
        assertArrayEquals(l0, apply(v -> VectorMath.log(v.abs()), x));
        assertArrayEquals(t0, apply(VectorMath::tanh, x));
        assertEquals(s0, FloatLoops.sum(x, 0, x.length), 0);
        assertEquals(z0, FloatLoops.expSum(x, 0, new float[x.length], 0, x.length, 20), 0);
    }
}
