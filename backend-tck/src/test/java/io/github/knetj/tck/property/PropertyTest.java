package io.github.knetj.tck.property;

import io.github.knetj.api.Shape;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness tested on properties whose outcome is known: false ones must fail, shrink to a minimal case and replay. */
class PropertyTest {
    @Test
    void aFalsePropertyFailsWithSeedReplayAndAMinimalShrunkCase() {
        AssertionError e = assertThrows(AssertionError.class, () ->
                Property.forAll("all shapes have rank < 2", 100, 42L, Gens.shape(0, 4, 5), s -> assertTrue(s.rank() < 2, "rank of " + s)));
        String m = e.getMessage();
        assertTrue(m.contains("property 'all shapes have rank < 2' failed on try"), m);
        assertTrue(m.contains("seed 42"), m);
        assertTrue(m.contains("-Dknetj.seed=42"), m);
        assertTrue(m.contains("shrunk case") && m.contains(": [1, 1]\n"), "the shrunk case should be a rank-2 shape of 1s: " + m);
        assertNotNull(e.getCause(), "the original failure is the cause");
        assertInstanceOf(AssertionError.class, e.getCause());
    }

    @Test
    void theSameSeedReplaysTheSameCase() {
        String first = failureOf(7L), second = failureOf(7L), other = failureOf(8L);
        assertEquals(first, second, "same seed, same failure report");
        assertNotEquals(first, other, "another seed should find another original case");
    }

    private static String failureOf(long seed) {
        return assertThrows(AssertionError.class, () ->
                Property.forAll("sizes below 30", 100, seed, Gens.shape(0, 4, 5), s -> assertTrue(s.size() < 30))).getMessage();
    }

    @Test
    void integersShrinkToTheBoundary() {
        AssertionError e = assertThrows(AssertionError.class, () ->
                Property.forAll("below 10", 100, 1L, Gens.ints(0, 100), v -> assertTrue(v < 10)));
        assertTrue(e.getMessage().contains("shrunk case") && e.getMessage().contains(": 10\n"), e.getMessage());
    }

    @Test
    void mappedGeneratorsShrinkThroughTheirSource() {
        AssertionError e = assertThrows(AssertionError.class, () ->
                Property.forAll("short names", 100, 3L, Gens.ints(0, 100).map(i -> "n" + i), s -> assertTrue(s.length() < 3)));
        assertTrue(e.getMessage().contains(": n10\n"), e.getMessage());
    }

    @Test
    void aTruePropertyRunsEveryTryWithDistinctCases() {
        List<Shape> seen = new ArrayList<>();
        Property.forAll("collect", 50, 11L, Gens.shape(0, 4, 5), seen::add);
        assertEquals(50, seen.size());
        assertTrue(new HashSet<>(seen).size() > 10, "cases should vary: " + seen);
    }

    @Test
    void triesAndSeedComeFromSystemPropertiesAndEmptyMeansDefault() {
        String tries = System.getProperty("knetj.tries"), seed = System.getProperty("knetj.seed");
        try {
            System.setProperty("knetj.tries", "");
            assertEquals(Property.DEFAULT_TRIES, Property.tries());
            System.setProperty("knetj.tries", "7");
            assertEquals(7, Property.tries());
            System.setProperty("knetj.seed", "123");
            assertEquals(123L, Property.seed());
            System.setProperty("knetj.seed", "");
            assertNotEquals(Property.seed(), Property.seed(), "an empty seed means a fresh random one each run");
        } finally {
            restore("knetj.tries", tries);
            restore("knetj.seed", seed);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }

    @Test
    void shapesStayInBoundsAndShrinkToSmallerShapes() {
        Property.forAll("shape bounds", 200, 5L, Gens.shape(1, 3, 4), s -> {
            assertTrue(s.rank() >= 1 && s.rank() <= 3, "rank of " + s);
            for (int d : s.dims()) assertTrue(d >= 1 && d <= 4, "dims of " + s);
            for (Shape smaller : Gens.shape(1, 3, 4).shrink(s)) {
                assertTrue(smaller.rank() >= 1 && smaller.rank() <= s.rank() && smaller.size() < s.size() || smaller.rank() < s.rank(),
                        smaller + " is not simpler than " + s);
            }
        });
    }

    @Test
    void broadcastPairsBroadcastAndSoDoTheirShrinks() {
        Set<Boolean> rankDiffers = new HashSet<>();
        Gen<Shape[]> pairs = Gens.broadcastPair(4, 4);
        Property.forAll("broadcast pairs", 300, 9L, pairs, p -> {
            assertTrue(Gens.broadcasts(p[0], p[1]), p[0] + " and " + p[1]);
            rankDiffers.add(p[0].rank() != p[1].rank());
            for (Shape[] q : pairs.shrink(p)) assertTrue(Gens.broadcasts(q[0], q[1]), "shrink of " + p[0] + ", " + p[1] + " gave " + q[0] + ", " + q[1]);
        });
        assertTrue(rankDiffers.contains(true) && rankDiffers.contains(false), "pairs should include equal and different ranks");
    }

    @Test
    void valuesStayInTheirDomain() {
        Property.forAll("domains", 50, 13L, Gens.seeded(Gens.shape(1, 3, 5)), c -> {
            for (Domain d : Domain.values()) {
                for (double v : Gens.values(c.random(), c.value(), d)) {
                    boolean ok = switch (d) {
                        case ANY -> Math.abs(v) >= 0.2 && Math.abs(v) <= 2;
                        case POSITIVE -> v >= 0.2 && v <= 2;
                        case UNIT -> v > 0.04 && v < 0.96;
                        case WIDE -> Math.abs(v) <= 5;
                    };
                    assertTrue(ok, v + " outside " + d);
                }
            }
        });
    }
}
