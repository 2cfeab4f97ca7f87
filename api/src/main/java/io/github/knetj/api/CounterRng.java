package io.github.knetj.api;

/**
 * A counter-based random generator: element i of a draw with seed s is a pure function of (s, i), so every
 * backend, thread count and device gives the same numbers for the same seed (SplitMix64 finaliser).
 */
public final class CounterRng {
    private CounterRng() {}

    /** 64 random bits for element i of stream seed. */
    public static long bits(long seed, long i) {
        long z = seed * 0x9E3779B97F4A7C15L + (i + 1) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A uniform double in [0, 1) with 53 random bits. */
    public static double uniform(long seed, long i) { return (bits(seed, i) >>> 11) * 0x1.0p-53; }

    /** A standard normal (Box–Muller on draws 2i and 2i+1). */
    public static double normal(long seed, long i) {
        double u1 = 1.0 - uniform(seed, 2 * i);   // in (0, 1]: log is finite
        double u2 = uniform(seed, 2 * i + 1);
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
