package io.github.knetj.spark;

import io.github.knetj.api.DType;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.autograd.check.OpCatalog;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The distributed sweeps gather exactly what the same work gives in one process, in grid (or op) order. */
class SweepsTest {
    @Test void hyperSweepRowsEqualSingleProcessTrials() throws Exception {
        ShardSource train = TestSpark.synthetic(21, 240, new int[]{12}, 4), test = TestSpark.synthetic(21, 22, 100, new int[]{12}, 4);
        HyperSweep.Plan plan = new HyperSweep.Plan(SyncEquivalenceTest.smallMlp(), "sgd", 2, 7, train, test, Defaults.backend().name(), DType.FLOAT64.label());
        List<HyperSweep.Trial> grid = HyperSweep.grid(List.of(0.05, 0.2), List.of(10, 20));
        List<HyperSweep.Outcome> rows = HyperSweep.run(TestSpark.context(), plan, grid);
        assertEquals(4, rows.size());
        for (int i = 0; i < grid.size(); i++) {
            HyperSweep.Outcome spark = rows.get(i), local = HyperSweep.trial(plan, grid.get(i));
            assertEquals(grid.get(i).lr(), spark.lr());
            assertEquals(grid.get(i).batch(), spark.batch());
            assertEquals(local.testLoss(), spark.testLoss(), 1e-12 * Math.abs(local.testLoss()), "trial " + grid.get(i));
            assertEquals(local.testAccuracy(), spark.testAccuracy(), "trial " + grid.get(i));
        }
        assertTrue(rows.stream().anyMatch(r -> r.testAccuracy() > 0.5), "something learned: " + rows);
        String table = HyperSweep.table(rows);
        System.out.print(table);
        assertEquals(5, table.lines().count());
        assertTrue(table.contains("<- best"));
        assertThrows(IllegalArgumentException.class, () -> HyperSweep.grid(List.of(-1.0), List.of(10)));
    }

    @Test void gradCheckSweepGathersEveryOpInOrder() {
        List<String> ops = OpCatalog.names().subList(0, 6);
        List<GradCheckSweep.Row> checks = GradCheckSweep.run(TestSpark.context(), ops, false, Defaults.backend().name(), "float64", 1);
        assertEquals(ops, checks.stream().map(GradCheckSweep.Row::op).toList());
        for (GradCheckSweep.Row r : checks) {
            assertEquals(1, r.checked(), r.op());
            assertEquals(0, r.failed(), r.text());
        }
        List<GradCheckSweep.Row> sweeps = GradCheckSweep.run(TestSpark.context(), ops.subList(0, 2), true, Defaults.backend().name(), "float64", 1);
        for (GradCheckSweep.Row r : sweeps) {
            GradCheckSweep.Row local = GradCheckSweep.row(r.op(), true, Defaults.backend().name(), "float64", 1);
            assertEquals(local.f64Error(), r.f64Error(), r.op());
            assertEquals(local.f32Eps(), r.f32Eps(), r.op());
            // Central differences in float64 are best far above float64's epsilon and beat float32's best error.
            assertTrue(r.f64Error() < r.f32Error(), r.op() + ": " + r);
        }
        System.out.print(GradCheckSweep.table(sweeps, true));
    }
}
