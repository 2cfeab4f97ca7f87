package io.github.knetj.tck.property;

import io.github.knetj.api.CounterRng;
import org.opentest4j.TestAbortedException;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Seeded property checks: run a check on many generated cases; on failure, shrink the case greedily and throw an
 * {@link AssertionError} naming the property, the try, the seed and how to replay it.
 * <p>
 * The number of tries comes from the system property {@code knetj.tries} (default 100), the run seed from
 * {@code knetj.seed} (absent or empty: a fresh random seed). Try t draws its case from a seed derived from the run
 * seed and t, so {@code -Dknetj.seed=S} replays a whole run, failing case included.
 */
public final class Property {
    /** Tries when {@code knetj.tries} is absent or empty. */
    public static final int DEFAULT_TRIES = 100;
    /** A bound on check evaluations while shrinking, so a pathological shrinker cannot hang a test. */
    private static final int MAX_SHRINK_STEPS = 2_000;

    private Property() {}

    /** Checks {@code check} on {@link #tries()} cases of {@code gen} with the run seed {@link #seed()}. */
    public static <T> void forAll(String name, Gen<T> gen, Consumer<T> check) { forAll(name, tries(), seed(), gen, check); }

    /** Checks {@code check} on {@code tries} cases (for properties whose cases are expensive) with the run seed {@link #seed()}. */
    public static <T> void forAll(String name, int tries, Gen<T> gen, Consumer<T> check) { forAll(name, tries, seed(), gen, check); }

    /** Checks {@code check} on {@code tries} cases drawn from the run seed {@code seed}: the replayable core. */
    public static <T> void forAll(String name, int tries, long seed, Gen<T> gen, Consumer<T> check) {
        for (int t = 0; t < tries; t++) {
            T original = gen.generate(new SplittableRandom(trySeed(seed, t)));
            Throwable failure = failure(check, original);
            if (failure == null) continue;
            T smallest = original;
            Throwable smallestFailure = failure;
            int shrinks = 0, steps = 0;
            boolean progress = true;
            // Greedy: take the first simpler candidate that still fails, and start again from it.
            while (progress && steps < MAX_SHRINK_STEPS) {
                progress = false;
                for (T candidate : gen.shrink(smallest)) {
                    if (++steps > MAX_SHRINK_STEPS) break;
                    Throwable f = failure(check, candidate);
                    if (f != null) {
                        smallest = candidate;
                        smallestFailure = f;
                        shrinks++;
                        progress = true;
                        break;
                    }
                }
            }
            throw new AssertionError("property '" + name + "' failed on try " + (t + 1) + " of " + tries + " with seed " + seed + "\n"
                    + "  shrunk case (" + shrinks + " shrinks): " + describe(smallest) + "\n"
                    + "  fails with: " + smallestFailure + "\n"
                    + "  original case: " + describe(original) + "\n"
                    + "  replay: -Dknetj.seed=" + seed + " (e.g. mvn test -Dtest=<TestClass> -Dknetj.seed=" + seed
                    + "; with at least " + (t + 1) + " tries)", failure);
        }
    }

    /** The seed of try t of a run: a counter-based hash, so each try is independent of how many came before. */
    public static long trySeed(long runSeed, int t) { return CounterRng.bits(runSeed, t); }

    /** {@code knetj.tries}, or {@link #DEFAULT_TRIES} when absent or empty. */
    public static int tries() {
        String s = System.getProperty("knetj.tries");
        if (s == null || s.isBlank()) return DEFAULT_TRIES;
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("knetj.tries must be a whole number, got '" + s + "'", e);
        }
    }

    /** {@code knetj.seed}, or a fresh random seed when absent or empty (printed on failure, so it can be replayed). */
    public static long seed() {
        String s = System.getProperty("knetj.seed");
        if (s == null || s.isBlank()) return new SplittableRandom().nextLong();
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("knetj.seed must be a whole number, got '" + s + "'", e);
        }
    }

    /** A case as text: arrays element by element, everything else by toString. */
    public static String describe(Object value) {
        if (value instanceof Object[] a) return Arrays.deepToString(a);
        if (value instanceof byte[] a) return a.length + " bytes " + java.util.HexFormat.of().formatHex(a, 0, Math.min(a.length, 256)) + (a.length > 256 ? "…" : "");
        if (value instanceof int[] a) return Arrays.toString(a);
        if (value instanceof long[] a) return Arrays.toString(a);
        if (value instanceof double[] a) return Arrays.toString(a);
        if (value instanceof float[] a) return Arrays.toString(a);
        if (value instanceof boolean[] a) return Arrays.toString(a);
        return String.valueOf(value);
    }

    /** What the check threw on this case, or null if it passed. An aborted test (an assumption) is not a failure. */
    private static <T> Throwable failure(Consumer<T> check, T value) {
        try {
            check.accept(value);
            return null;
        } catch (TestAbortedException e) {
            throw e;
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError v) throw v;
            return e;
        }
    }
}
