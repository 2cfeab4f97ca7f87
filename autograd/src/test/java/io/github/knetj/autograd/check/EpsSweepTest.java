package io.github.knetj.autograd.check;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad;
import io.github.knetj.autograd.Ops;
import io.github.knetj.autograd.check.EpsSweep.Point;
import io.github.knetj.autograd.check.EpsSweep.Result;
import io.github.knetj.autograd.check.EpsSweep.Series;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The eps sweep shows what the theory says: truncation error falling, round-off rising, the best step per dtype. */
class EpsSweepTest {
    private static final Backend B = Backends.get("reference");
    private static final Result TANH = EpsSweep.op("tanh", B, 1);

    private static Point at(Series s, double eps) {
        return s.points().stream().filter(p -> p.eps() == eps).findFirst().orElseThrow();
    }

    @Test
    void sweepsTwelveStepsInBothDtypes() {
        assertEquals(List.of(DType.FLOAT32, DType.FLOAT64), TANH.series().stream().map(Series::dtype).toList());
        for (Series s : TANH.series()) {
            assertEquals(12, s.points().size());
            assertEquals(1e-1, s.points().get(0).eps());
            assertEquals(1e-12, s.points().get(11).eps());
            assertTrue(s.scale() > 0, "the derivative along the directions is not zero");
        }
        assertTrue(TANH.subject().startsWith("tanh("), TANH.subject());
        assertEquals("reference", TANH.backend());
    }

    @Test
    void truncationErrorFallsAsEpsSquaredForCentralAndAsEpsForForwardDifferences() {
        Series f64 = TANH.series(DType.FLOAT64);
        double central = at(f64, 1e-1).central() / at(f64, 1e-2).central();
        double forward = at(f64, 1e-1).forward() / at(f64, 1e-2).forward();
        assertTrue(central > 30 && central < 300, "central error shrinks ~100x per decade at large eps, got " + central);
        assertTrue(forward > 3 && forward < 30, "forward error shrinks ~10x per decade at large eps, got " + forward);
    }

    @Test
    void roundOffMakesTinyStepsWorseAndTheBestStepMatchesTheTheory() {
        Series f64 = TANH.series(DType.FLOAT64), f32 = TANH.series(DType.FLOAT32);
        Point c64 = f64.best(true), c32 = f32.best(true), fw64 = f64.best(false);
        assertTrue(c64.eps() >= 1e-7 && c64.eps() <= 1e-3, "float64 central: best eps near 1e-5, got " + c64.eps());
        assertTrue(c32.eps() >= 1e-4 && c32.eps() <= 1e-1, "float32 central: best eps near 1e-2.5, got " + c32.eps());
        assertTrue(fw64.eps() >= 1e-10 && fw64.eps() <= 1e-6, "float64 forward: best eps near 1e-8, got " + fw64.eps());
        assertTrue(c64.central() < 1e-8, "float64 central differences reach 1e-8, got " + c64.central());
        assertTrue(c32.central() < 1e-2, "float32 central differences reach 1e-2, got " + c32.central());
        assertTrue(at(f64, 1e-12).central() > 100 * c64.central(), "round-off dominates at 1e-12 in float64");
        assertTrue(at(f32, 1e-6).central() > 10 * c32.central(), "round-off dominates at 1e-6 in float32");
        assertTrue(c32.central() > 100 * c64.central(), "float32 cannot get as close as float64");
    }

    @Test
    void theTableHasOneRowPerStepAndTheBestStepOfEachDtype() {
        String table = TANH.table();
        assertEquals(1 + 1 + 12 + 2, table.lines().count(), table);
        assertTrue(table.contains("float32 central") && table.contains("float64 forward"), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("1e-12")), table);
        assertTrue(table.contains("best central eps"), table);
        assertEquals(table, TANH.toString(), "JShell shows the table");
    }

    @Test
    void parametersOfALossAreSweptInTheirDtypeAndRestored() {
        Tensor w0 = B.memory().fromArray(new double[] {0.5, -1, 2}, Shape.of(3), DType.FLOAT64);
        Param w = new Param(w0);
        Tensor x = B.memory().fromArray(new double[] {1, 2, 3}, Shape.of(3), DType.FLOAT64);
        Series s = EpsSweep.series(() -> Ops.sum(Ops.exp(Ops.mul(w, new AutoGrad.Value(x)))), List.of(w), List.of(1e-3, 1e-5), 7);
        assertSame(w0, w.data(), "the parameter's data is restored");
        assertEquals(DType.FLOAT64, s.dtype());
        assertEquals(2, s.points().size());
        assertTrue(s.points().get(1).central() < 1e-6, s.toString());
    }

    @Test
    void theSameSeedMeasuresTheSameDerivativeInEitherDtype() {
        assertEquals(TANH.series(DType.FLOAT64).scale(), TANH.series(DType.FLOAT32).scale(), 1e-5 * TANH.series(DType.FLOAT64).scale());
        Result again = EpsSweep.op("tanh", B, 1);
        assertArrayEquals(TANH.series(DType.FLOAT64).points().stream().mapToDouble(Point::central).toArray(),
                again.series(DType.FLOAT64).points().stream().mapToDouble(Point::central).toArray());
    }

    @Test
    void badArgumentsAreClearErrors() {
        Param w = new Param(B.memory().fromArray(new double[] {1}, Shape.of(1), DType.FLOAT64));
        assertThrows(IllegalArgumentException.class, () -> EpsSweep.series(() -> Ops.sum(w), List.of(w), List.of(-1.0), 1));
        assertThrows(IllegalArgumentException.class, () -> EpsSweep.series(() -> Ops.sum(w), List.of(), List.of(1e-3), 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EpsSweep.op("no_such_op", B, 1));
        assertTrue(e.getMessage().contains("no_such_op"), e.getMessage());
    }
}
