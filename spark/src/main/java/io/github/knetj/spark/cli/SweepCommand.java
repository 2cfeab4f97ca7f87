package io.github.knetj.spark.cli;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.data.Mnist;
import io.github.knetj.optim.Optimizers;
import io.github.knetj.spark.HyperSweep;
import io.github.knetj.spark.ShardSource;
import io.github.knetj.spark.SparkModels;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code knetj spark sweep lenet|mlp --lr 1e-3,3e-3 --batch 50,100 [--epochs E] [--optimizer NAME] [--seed S]}: the
 * grid as Spark tasks, each a single-process training on MNIST; one merged table, then one JSON line.
 */
final class SweepCommand {
    private SweepCommand() {}

    static int run(String[] argv) throws Exception {
        Set<String> valued = new HashSet<>(Cluster.OPTIONS);
        valued.addAll(Set.of("lr", "batch", "epochs", "optimizer", "seed", "inputs", "dtype"));
        Options o = new Options(argv, Set.of(), valued);
        if (o.positional().size() != 1) throw new IllegalArgumentException("spark sweep: expected one model, lenet or mlp; got " + o.positional());
        String model = o.positional().get(0);
        boolean lenet = model.equals("lenet");
        var factory = SparkModels.byName(model);
        String optName = o.get("optimizer", lenet ? "adam" : "sgd");
        Optimizers.byName(optName, 1e-3);
        List<HyperSweep.Trial> grid = HyperSweep.grid(o.getDoubles("lr", List.of(lenet ? 1e-3 : 0.1)), o.getInts("batch", List.of(lenet ? 100 : 50)));
        int epochs = o.getInt("epochs", 1);
        if (epochs <= 0) throw new IllegalArgumentException("--epochs must be positive, got " + epochs);
        boolean standardized = !o.get("inputs", "standardized").equals("unit");
        Backend backend = Cluster.setUp(o, DType.parse(o.get("dtype", "float32")));
        Mnist.load();   // on the driver first, so that executors find the files in the cache
        String dir = Mnist.cacheDir().toString();
        HyperSweep.Plan plan = new HyperSweep.Plan(factory, optName, epochs, o.getLong("seed", 1),
                ShardSource.mnist(dir, standardized, lenet, true), ShardSource.mnist(dir, standardized, lenet, false),
                backend.name(), Defaults.dtype().label());
        List<HyperSweep.Outcome> rows;
        long start = System.nanoTime();
        try (JavaSparkContext sc = Cluster.start(o, "knetj spark sweep " + model)) {
            System.err.printf("[knetj-spark] sweeping %d trials of %s (%d epochs, %s) on %s%n", grid.size(), model, epochs, optName, sc.master());
            rows = HyperSweep.run(sc, plan, grid);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.print(HyperSweep.table(rows));
        HyperSweep.Outcome best = rows.stream().max(java.util.Comparator.comparingDouble(HyperSweep.Outcome::testAccuracy)).orElseThrow();
        List<Map<String, Object>> json = rows.stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lr", r.lr());
            m.put("batch", r.batch());
            m.put("test_accuracy", r.testAccuracy());
            m.put("test_loss", r.testLoss());
            m.put("train_loss", r.trainLoss());
            m.put("seconds", r.seconds());
            m.put("executor", r.executor());
            return m;
        }).toList();
        System.out.println(new JsonLine().put("command", "spark sweep").put("model", model).put("optimizer", optName).put("epochs", epochs)
                .put("trials", rows.size()).put("wall_seconds", seconds).put("best_lr", best.lr()).put("best_batch", best.batch())
                .put("best_test_accuracy", best.testAccuracy()).put("results", json));
        return 0;
    }
}
