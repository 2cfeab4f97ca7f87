package io.github.knetj.spark.cli;

import io.github.knetj.spark.CostModel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code knetj spark cost-model [--parameters N] [--batch B] [--ms-per-example C] [--overhead-ms O] [--gbps G]
 * [--latency-ms L] [--straggle S] [--local-steps H] [--state-slots N] [--workers 1,2,4,...]}: the simulated
 * speed-up of each exchange (docs/scale-out.md) for a model's numbers; no Spark is started. LeNet's numbers unless given.
 */
final class CostModelCommand {
    private CostModelCommand() {}

    static int run(String[] argv) {
        Options o = new Options(argv, Set.of(), Set.of("parameters", "batch", "ms-per-example", "overhead-ms", "gbps", "latency-ms",
                "straggle", "local-steps", "state-slots", "workers", "steps", "seed"));
        CostModel m = new CostModel(o.getLong("parameters", 431_080), 8, positive(o, "ms-per-example", 1.0) / 1e3, o.getInt("batch", 100),
                o.getDouble("overhead-ms", 20) / 1e3, o.getDouble("latency-ms", 0.5) / 1e3, positive(o, "gbps", 1.0) * 1e9, o.getDouble("straggle", 0.2));
        int h = o.getInt("local-steps", 8), slots = o.getInt("state-slots", 2), steps = o.getInt("steps", 2000);
        long seed = o.getLong("seed", 1);
        List<Integer> workers = o.getInts("workers", List.of(1, 2, 4, 8, 16, 32, 64, 128));
        if (h <= 0 || steps <= 0 || workers.stream().anyMatch(k -> k <= 0))
            throw new IllegalArgumentException("cost-model: --local-steps, --steps and --workers must be positive");
        System.out.print(m.table(workers, h, slots, steps, seed));
        Map<String, Object> speedups = new LinkedHashMap<>();
        for (CostModel.Exchange e : CostModel.Exchange.values())
            speedups.put(e.name().toLowerCase(java.util.Locale.ROOT), workers.stream().map(k -> m.speedup(e, k, h, slots, steps, seed)).toList());
        System.out.println(new JsonLine().put("command", "spark cost-model").put("parameters", m.parameters()).put("batch", m.globalBatch())
                .put("single_process_step_seconds", m.singleProcessStep()).put("workers", workers).put("local_steps", h).put("speedup", speedups));
        return 0;
    }

    private static double positive(Options o, String name, double dflt) {
        double v = o.getDouble(name, dflt);
        if (!(v > 0)) throw new IllegalArgumentException("--" + name + " must be positive, got " + v);
        return v;
    }
}
