package io.github.knetj.spark.cli;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.data.Minibatch;
import io.github.knetj.data.Mnist;
import io.github.knetj.layers.Init;
import io.github.knetj.layers.Layer;
import io.github.knetj.optim.Optimizer;
import io.github.knetj.optim.Optimizers;
import io.github.knetj.spark.ModelFactory;
import io.github.knetj.spark.OptimizerFactory;
import io.github.knetj.spark.ShardSource;
import io.github.knetj.spark.ShardedData;
import io.github.knetj.spark.SparkModels;
import io.github.knetj.spark.SparkRun;
import io.github.knetj.spark.SparkTrainer;
import io.github.knetj.train.EpochStats;
import io.github.knetj.train.Trainer;
import org.apache.spark.api.java.JavaSparkContext;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code knetj spark train lenet|mlp [--master M] [--workers W] [--epochs E] [--batch B] [--lr R] [--optimizer NAME]
 * [--seed S] [--local-steps K] [--checkpoint DIR [--resume]] [--inputs standardized|unit] [--dtype D] [--threads N]}:
 * MNIST trained data-parallel on Spark, the same recipes as {@code knetj train} (LeNet: Adam 1e-3, batch 100; MLP:
 * SGD 0.1, batch 50), B being the global batch; ends with the test accuracy and one JSON line.
 */
final class TrainCommand {
    private TrainCommand() {}

    static int run(String[] argv) throws Exception {
        Set<String> valued = new HashSet<>(Cluster.OPTIONS);
        valued.addAll(Set.of("epochs", "batch", "lr", "optimizer", "seed", "local-steps", "checkpoint", "inputs", "dtype"));
        Options o = new Options(argv, Set.of("resume"), valued);
        if (o.positional().size() != 1) throw new IllegalArgumentException("spark train: expected one model, lenet or mlp; got " + o.positional());
        String model = o.positional().get(0);
        ModelFactory factory = SparkModels.byName(model);
        boolean lenet = model.equals("lenet");
        int epochs = o.getInt("epochs", lenet ? 3 : 10);
        int batch = o.getInt("batch", lenet ? 100 : 50);
        double lr = o.getDouble("lr", lenet ? 0.001 : 0.1);
        String optName = o.get("optimizer", lenet ? "adam" : "sgd");
        long seed = o.getLong("seed", 1);
        int localSteps = o.getInt("local-steps", 1);
        String inputs = o.get("inputs", "standardized");
        if (!List.of("standardized", "unit").contains(inputs)) throw new IllegalArgumentException("--inputs: expected standardized or unit, got '" + inputs + "'");
        if (o.has("resume") && !o.has("checkpoint")) throw new IllegalArgumentException("--resume needs --checkpoint DIR, the folder to resume from");
        Optimizers.byName(optName, lr);   // an unknown name fails here, before Spark starts
        Backend backend = Cluster.setUp(o, DType.parse(o.get("dtype", "float32")));

        Mnist mnist = Mnist.load();   // on the driver first, so that executors find the files in the cache
        if (inputs.equals("standardized")) mnist = mnist.standardized();
        int[] xsize = lenet ? new int[]{1, 28, 28} : new int[]{784};
        Minibatch dtst = Minibatch.of(mnist.test().images(), mnist.test().labels(), xsize, 1000).partial(true);

        try (JavaSparkContext sc = Cluster.start(o, "knetj spark train " + model);
             ShardedData data = ShardedData.of(sc, ShardSource.mnist(Mnist.cacheDir().toString(), inputs.equals("standardized"), lenet), Cluster.workers(o))) {
            Init.seed(seed);
            Layer net = factory.get();
            Optimizer opt = Optimizers.byName(optName, lr);
            SparkTrainer trainer = new SparkTrainer(sc, factory).globalBatch(batch).seed(seed).test(dtst).log(System.err);
            if (localSteps > 1) {
                OptimizerFactory of = () -> Optimizers.byName(optName, lr);
                trainer.localSgd(localSteps, of);
            }
            if (o.has("checkpoint")) trainer.checkpoints(Path.of(o.get("checkpoint", "")), o.has("resume"));
            System.err.printf(Locale.ROOT, "[knetj-spark] %s on %s, %d workers (shards of %s examples), backend %s, global batch %d, %s lr %s, %d epochs%s%n",
                    model, sc.master(), data.workers(), java.util.Arrays.toString(data.sizes()), backend.name(), batch, optName, lr, epochs,
                    localSteps > 1 ? ", local SGD every " + localSteps + " steps" : "");
            SparkRun run = trainer.fit(net, opt, data, epochs);
            List<EpochStats> stats = run.epochs();
            double accuracy = stats.isEmpty() ? Trainer.evaluate(net, dtst).accuracy() : run.last().testAccuracy();
            double seconds = stats.stream().mapToDouble(EpochStats::seconds).sum();
            long examples = stats.stream().mapToLong(EpochStats::examples).sum();
            System.out.printf(Locale.ROOT, "test accuracy %.4f%n", accuracy);
            System.out.println(new JsonLine().put("command", "spark train").put("model", model).put("master", sc.master())
                    .put("workers", data.workers()).put("backend", backend.name()).put("epochs", epochs).put("first_epoch", run.firstEpoch())
                    .put("batch", batch).put("optimizer", optName).put("lr", lr).put("seed", seed).put("local_steps", localSteps)
                    .put("train_seconds", seconds).put("examples_per_second", seconds > 0 ? examples / seconds : 0)
                    .put("epoch_seconds", stats.stream().map(EpochStats::seconds).toList())
                    .put("exchanges", run.exchanges()).put("seconds_per_exchange", run.secondsPerExchange())
                    .put("compute_seconds_per_exchange", run.computeSecondsPerExchange())
                    .put("overhead_seconds_per_exchange", run.overheadSecondsPerExchange())
                    .put("bytes_per_exchange", run.bytesPerExchange())
                    .put("test_accuracy_per_epoch", stats.stream().map(EpochStats::testAccuracy).toList())
                    .put("checkpoint", o.has("checkpoint") ? o.get("checkpoint", "") : null)
                    .put("test_accuracy", accuracy));
        }
        return 0;
    }
}
