package io.github.knetj.spark;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cost model's closed forms, and its simulation against them. */
class CostModelTest {
    /** LeNet's 431,080 parameters as float64, 1 ms per example, batch 100, 20 ms per Spark job, 1 GB/s, 0.5 ms hops. */
    static CostModel lenet(double straggle) { return new CostModel(431_080, 8, 1e-3, 100, 0.020, 5e-4, 1e9, straggle); }

    @Test void closedForms() {
        CostModel m = lenet(0);
        assertEquals(3_448_640, m.modelBytes());
        assertEquals(0.1, m.singleProcessStep(), 1e-15);
        // Two workers: the driver sends one copy and receives two.
        assertEquals(3 * 3_448_640.0, m.treeBytes(2));
        // Sixteen workers: treeAggregate's middle level leaves ⌈√16⌉ = 4 sums for the driver.
        assertEquals(5 * 3_448_640.0, m.treeBytes(16));
        assertEquals(0.05 + 0.020 + 3 * 3_448_640 / 1e9 + 2 * 5e-4, m.stepSeconds(CostModel.Exchange.DRIVER_TREE, 2, 1, 0), 1e-15);
        // A ring moves 2(k-1)/k copies per worker: 1 copy at k = 2, approaching 2 as k grows.
        assertEquals(3_448_640 / 1e9 + 2 * 5e-4, m.communication(CostModel.Exchange.RING_ALLREDUCE, 2, 0), 1e-15);
        // Local SGD with Adam (2 slots) every 8 steps: three times the bytes, an eighth as often.
        double local = (0.020 + 3 * 3 * 3_448_640 / 1e9 + 2 * 5e-4) / 8;
        assertEquals(0.05 + local, m.stepSeconds(CostModel.Exchange.LOCAL_SGD, 2, 8, 2), 1e-15);
        assertEquals(0.1, m.stepSeconds(CostModel.Exchange.DRIVER_TREE, 1, 1, 0), 1e-15);
    }

    @Test void simulationWithoutStragglersIsTheClosedForm() {
        CostModel m = lenet(0);
        for (CostModel.Exchange e : CostModel.Exchange.values())
            for (int k : List.of(1, 2, 8, 64))
                assertEquals(m.stepSeconds(e, k, 8, 2), m.simulate(e, k, 8, 2, 40, 1), 1e-12, e + " k=" + k);
    }

    @Test void stragglersCostMoreWithMoreWorkersAndLessWithLocalSgd() {
        CostModel m = lenet(0.3);
        double two = m.simulate(CostModel.Exchange.RING_ALLREDUCE, 2, 1, 0, 4000, 7) - m.stepSeconds(CostModel.Exchange.RING_ALLREDUCE, 2, 1, 0);
        double many = m.simulate(CostModel.Exchange.RING_ALLREDUCE, 64, 1, 0, 4000, 7) - m.stepSeconds(CostModel.Exchange.RING_ALLREDUCE, 64, 1, 0);
        // The wait for the slowest of k, relative to the mean share, grows with k (E max of k lognormals).
        assertTrue(many / (0.1 / 64) > two / (0.05), "relative straggler cost at 64 workers " + many / (0.1 / 64) + " vs 2: " + two / 0.05);
        double sync = m.simulate(CostModel.Exchange.DRIVER_TREE, 16, 1, 0, 4000, 7) - m.stepSeconds(CostModel.Exchange.DRIVER_TREE, 16, 1, 0);
        double local = m.simulate(CostModel.Exchange.LOCAL_SGD, 16, 16, 0, 4000, 7) - m.stepSeconds(CostModel.Exchange.LOCAL_SGD, 16, 16, 0);
        assertTrue(local < sync, "local SGD averages out stragglers: " + local + " vs " + sync);
        System.out.print(m.table(List.of(1, 2, 4, 8, 16, 64), 8, 2, 2000, 1));
    }
}
