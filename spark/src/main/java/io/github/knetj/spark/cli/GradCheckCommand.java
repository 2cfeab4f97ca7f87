package io.github.knetj.spark.cli;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.autograd.check.OpCatalog;
import io.github.knetj.spark.GradCheckSweep;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code knetj spark gradcheck [--op NAME|all] [--eps-sweep] [--dtype D] [--seed S] [--verbose]}: the gradient
 * check (or eps sweep) of each op as a Spark task; one merged table, then one JSON line. A failed check makes the
 * exit status 1, as {@code knetj gradcheck} does.
 */
final class GradCheckCommand {
    private GradCheckCommand() {}

    static int run(String[] argv) throws Exception {
        Set<String> valued = new HashSet<>(Cluster.OPTIONS);
        valued.addAll(Set.of("op", "dtype", "seed"));
        Options o = new Options(argv, Set.of("eps-sweep", "verbose"), valued);
        if (!o.positional().isEmpty()) throw new IllegalArgumentException("spark gradcheck: unexpected " + o.positional());
        boolean sweep = o.has("eps-sweep");
        if (sweep && o.has("dtype")) throw new IllegalArgumentException("spark gradcheck --eps-sweep runs float32 and float64 both; drop --dtype");
        String op = o.get("op", "all");
        List<String> ops = op.equalsIgnoreCase("all") ? OpCatalog.names() : List.of(OpCatalog.entry(op).name());
        String dtype = DType.parse(o.get("dtype", "float64")).label();
        long seed = o.getLong("seed", 1);
        Backend backend = Cluster.setUp(o, DType.FLOAT64);
        List<GradCheckSweep.Row> rows;
        long start = System.nanoTime();
        try (JavaSparkContext sc = Cluster.start(o, "knetj spark gradcheck")) {
            System.err.printf("[knetj-spark] %s of %d ops on %s%n", sweep ? "eps sweeps" : "gradient checks", ops.size(), sc.master());
            rows = GradCheckSweep.run(sc, ops, sweep, backend.name(), dtype, seed);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (o.has("verbose")) for (GradCheckSweep.Row r : rows) System.out.print(r.text());
        System.out.print(GradCheckSweep.table(rows, sweep));
        JsonLine json = new JsonLine().put("command", "spark gradcheck").put("mode", sweep ? "eps-sweep" : "check").put("backend", backend.name())
                .put("ops", rows.size()).put("wall_seconds", seconds);
        if (sweep) {
            Map<String, Object> best = new LinkedHashMap<>();
            for (GradCheckSweep.Row r : rows) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("float32_eps", r.f32Eps());
                m.put("float32_error", r.f32Error());
                m.put("float64_eps", r.f64Eps());
                m.put("float64_error", r.f64Error());
                best.put(r.op(), m);
            }
            json.put("best_central", best);
            System.out.println(json);
            return 0;
        }
        int failed = rows.stream().mapToInt(GradCheckSweep.Row::failed).sum();
        json.put("dtype", dtype).put("checked", rows.stream().mapToInt(GradCheckSweep.Row::checked).sum()).put("failed", failed)
                .put("failed_ops", rows.stream().filter(r -> r.failed() > 0).map(GradCheckSweep.Row::op).toList());
        System.out.println(json);
        return failed == 0 ? 0 : 1;
    }
}
