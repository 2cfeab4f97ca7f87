package io.github.knetj.cpu.fast;

import io.github.knetj.cpu.Kernels;
import io.github.knetj.cpu.ScalarKernels;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link OptimizerLoops} (through {@link VectorKernels}): the SIMD Adam step gives the scalar loop's bits, before and after C2 compiles it. */
class OptimizerLoopsTest {
    @Test void adamGivesTheScalarLoopsBits() {
        SplittableRandom r = new SplittableRandom(11);
        int n = 1003;
        float[] w = new float[n], g = new float[n], m = new float[n], v = new float[n];
        for (int i = 0; i < n; i++) {
            double scale = Math.pow(10, r.nextInt(-8, 3));   // gradients from 1e-8 to 100, some exactly zero
            w[i] = (float) r.nextDouble(-1, 1);
            g[i] = i % 17 == 0 ? 0f : (float) (scale * r.nextDouble(-1, 1));
            m[i] = (float) (0.1 * scale * r.nextDouble(-1, 1));
            v[i] = (float) (scale * scale * r.nextDouble());
        }
        ScalarKernels scalar = new ScalarKernels();
        Kernels simd = VectorKernels.create();   // OptimizerLoops for the whole vectors, the scalar loop for the rest
        for (int round = 0; round < 2000; round++) {
            float[] ew = new float[n], em = new float[n], ev = new float[n], aw = new float[n], am = new float[n], av = new float[n];
            int from = round % 5, len = n - from - round % 9;
            double bias = 1 - Math.pow(0.999, round + 1);
            scalar.adam(w, g, m, v, ew, em, ev, from, len, 0.9, 0.999, 1e-3 / (1 - Math.pow(0.9, round + 1)), 1 / Math.sqrt(bias), 1e-8);
            simd.adam(w, g, m, v, aw, am, av, from, len, 0.9, 0.999, 1e-3 / (1 - Math.pow(0.9, round + 1)), 1 / Math.sqrt(bias), 1e-8);
            if (round % 400 != 0 && round != 1999) continue;
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToRawIntBits(ew[i]), Float.floatToRawIntBits(aw[i]), "w at " + i + ", round " + round);
                assertEquals(Float.floatToRawIntBits(em[i]), Float.floatToRawIntBits(am[i]), "m at " + i + ", round " + round);
                assertEquals(Float.floatToRawIntBits(ev[i]), Float.floatToRawIntBits(av[i]), "v at " + i + ", round " + round);
            }
        }
    }
}
