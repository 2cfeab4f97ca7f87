package io.github.knetj.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SpecialFunctionsTest {
    /** Values from a 50-digit evaluation (mpmath.erf). */
    @Test void erfMatchesHighPrecisionValues() {
        double[][] cases = {
                {0.0, 0.0}, {0.1, 0.1124629160182849}, {0.5, 0.5204998778130465}, {1.0, 0.8427007929497149},
                {2.0, 0.9953222650189527}, {2.9, 0.9999589021219005}, {3.0, 0.9999779095030014},
                {3.5, 0.9999992569016276}, {-1.3, -0.9340079449406524}, {5.0, 0.9999999999984626}};
        for (double[] c : cases) assertEquals(c[1], SpecialFunctions.erf(c[0]), 2e-15, "erf(" + c[0] + ")");
    }
}
