package io.github.knetj.examples;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.data.Minibatch;
import io.github.knetj.data.Mnist;
import io.github.knetj.examples.rnn.CharLM;
import io.github.knetj.examples.rnn.CharLSTMBenchmark;
import io.github.knetj.examples.rnn.Seq2Seq;
import io.github.knetj.io.ModelIO;
import io.github.knetj.io.SafeTensors;
import io.github.knetj.layers.Chain;
import io.github.knetj.layers.Init;
import io.github.knetj.optim.LearningRate;
import io.github.knetj.optim.Optimizer;
import io.github.knetj.optim.Optimizers;
import io.github.knetj.train.EpochStats;
import io.github.knetj.train.History;
import io.github.knetj.train.Plot;
import io.github.knetj.train.Trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code ./knetj train lenet|mlp|charlm|seq2seq|gpt [options]}: trains a model on MNIST (or text, or digit sequences) with a
 * progress bar and prints the test accuracy; the last line is JSON with the training-loop time, as the peers measure it.
 */
final class TrainCommand {
    private TrainCommand() {}

    /** The metadata entry of a saved MNIST model that says how its inputs were scaled (--inputs). */
    static final String INPUTS_KEY = "knetj.mnist.inputs";

    private static final Set<String> OPTIONS = Set.of("epochs", "batch", "lr", "optimizer", "seed", "backend", "threads",
            "save", "load", "plot", "dtype", "progress", "inputs", "schedule");

    /**
     * The defaults of each MNIST model: Knet's tutorial recipes (the layers, optimizer, rate and epochs the issue names).
     * Two choices are ours, both measured over seeds 1–5 beside PyTorch (docs/benchmarks.md): inputs standardized with
     * the training set's mean and deviation for both models, and batches of 50 for the MLP, whose 10 epochs of plain SGD
     * at batch 100 stop short of its plateau (0.968–0.976 by seed, against 0.975–0.978 at batch 50).
     */
    private record Recipe(int epochs, double lr, String optimizer, int batch) {}

    static int run(String[] argv) throws IOException {
        String model = argv.length == 0 || argv[0].startsWith("--") ? "" : argv[0];
        String[] rest = java.util.Arrays.copyOfRange(argv, model.isEmpty() ? 0 : 1, argv.length);
        switch (model) {
            case "charlm": return CharLM.run(rest);
            case "seq2seq": return Seq2Seq.run(rest);
            case "gpt": return io.github.knetj.examples.gpt.CharGpt.run(rest);
            case "lenet", "mlp": break;
            default: throw new IllegalArgumentException("train: expected a model, lenet, mlp, charlm, seq2seq or gpt; got '" + model + "'");
        }
        Args args = new Args(rest, Set.of()).allow(OPTIONS);
        Recipe recipe = model.equals("lenet") ? new Recipe(3, 0.001, "adam", 100) : new Recipe(10, 0.1, "sgd", 50);
        int epochs = args.getInt("epochs", recipe.epochs);
        int batch = args.getInt("batch", recipe.batch);
        double lr = args.getDouble("lr", recipe.lr);
        String optName = args.get("optimizer", recipe.optimizer);
        long seed = args.getLong("seed", 1);
        String inputs = choice(args, "inputs", List.of("standardized", "unit"),
                "standardized (pixels minus the training mean, over its standard deviation) or unit (pixels in [0, 1])");
        String schedule = choice(args, "schedule", List.of("constant", "cosine"), "constant or cosine (from --lr down to 0 over all the steps of --epochs)");
        Path load = args.has("load") ? Path.of(args.get("load", "")) : null;
        if (load != null) {
            // A model trained on one scaling of the pixels scores lower on the other without a word (a LeNet trained
            // on standardized pixels: 0.9848, fed pixels in [0, 1]: 0.9837), so a mismatch is refused, before MNIST loads.
            String trained = SafeTensors.metadata(load).get(INPUTS_KEY);
            if (trained != null && !trained.equals(inputs))
                throw new IllegalArgumentException("--load " + load + ": the model was trained on " + trained
                        + " inputs and this run would feed it " + inputs + " ones; add --inputs " + trained);
        }
        Backend backend = setUp(args);

        Init.seed(seed);
        Chain net = model.equals("lenet") ? Models.lenet() : Models.mlp();
        Optimizer opt = Optimizers.byName(optName, lr);
        System.err.println(net);
        System.err.println("backend " + backend.name() + " (" + backend.device() + "), " + Defaults.dtype() + ", " + optName + " lr " + lr
                + " " + schedule + ", batch " + batch + ", " + epochs + " epochs, seed " + seed + ", inputs " + inputs);

        Mnist mnist = inputs.equals("unit") ? Mnist.load() : Mnist.load().standardized();
        int[] xsize = model.equals("lenet") ? new int[]{1, 28, 28} : new int[]{784};
        Minibatch dtrn = Minibatch.of(mnist.train().images(), mnist.train().labels(), xsize, batch).shuffle(seed);
        Minibatch dtst = Minibatch.of(mnist.test().images(), mnist.test().labels(), xsize, 1000).partial(true);
        opt.schedule(schedule.equals("cosine") ? LearningRate.cosine(Math.max(1, (long) epochs * dtrn.size()), 0) : LearningRate.constant());
        if (load != null) {
            ModelIO.load(load, net, opt);
            System.err.println("loaded " + load);
        }

        Trainer trainer = new Trainer().test(dtst).progress(Trainer.Progress.parse("--progress", args.get("progress", "auto")));
        History history = epochs > 0 ? trainer.fit(net, dtrn, opt, epochs) : null;
        List<EpochStats> stats = history == null ? List.of() : history.epochs();
        double accuracy = stats.isEmpty() ? Trainer.evaluate(net, dtst).accuracy() : stats.get(stats.size() - 1).testAccuracy();

        if (args.has("save")) {
            ModelIO.save(Path.of(args.get("save", "")), net, opt, java.util.Map.of(INPUTS_KEY, inputs));
            System.err.println("saved " + args.get("save", ""));
        }
        if (args.has("plot") && history != null) { Plot.save(history, Path.of(args.get("plot", "")), model + " on MNIST"); System.err.println("plotted " + args.get("plot", "")); }

        double seconds = stats.stream().mapToDouble(EpochStats::seconds).sum();
        long examples = stats.stream().mapToLong(EpochStats::examples).sum();
        System.out.printf(java.util.Locale.ROOT, "test accuracy %.4f%n", accuracy);
        System.out.println(new Json().put("model", model).put("backend", backend.name()).put("dtype", Defaults.dtype().label())
                .put("epochs", stats.size()).put("batch", batch).put("optimizer", optName).put("lr", lr).put("seed", seed).put("inputs", inputs).put("schedule", schedule)
                .put("train_seconds", seconds).put("examples_per_second", seconds > 0 ? examples / seconds : 0)
                .put("epoch_seconds", stats.stream().map(EpochStats::seconds).toList())
                .put("test_accuracy_per_epoch", stats.stream().map(EpochStats::testAccuracy).toList())
                .put("test_accuracy", accuracy));
        return 0;
    }

    /** The value of option {@code name}, one of {@code allowed} (the first when absent); {@code expected} explains them. */
    private static String choice(Args args, String name, List<String> allowed, String expected) {
        String v = args.get(name, allowed.get(0));
        if (!allowed.contains(v)) throw new IllegalArgumentException("--" + name + "='" + v + "': expected " + expected);
        return v;
    }

    /** Threads, backend and dtype from the options, before anything touches a backend. */
    static Backend setUp(Args args) {
        if (args.has("threads")) System.setProperty("knetj.threads", args.get("threads", ""));
        Backend backend = args.has("backend") ? Backends.get(args.get("backend", "auto")) : Backends.get();
        Defaults.backend(backend);
        Defaults.dtype(DType.parse(args.get("dtype", "float32")));
        return backend;
    }

    /** {@code ./knetj bench train --model lenet|mlp|charlstm}: seconds per training epoch (or LSTM tokens/s). */
    static int bench(String[] argv) throws IOException {
        Args args = new Args(argv, Set.of());
        String model = args.get("model", "lenet");
        if (model.equals("charlstm")) return CharLSTMBenchmark.run(without(argv, "train", "--model", model));
        return run(concat(new String[]{model, "--epochs", args.get("epochs", "1"), "--progress", "lines"}, without(argv, "train", "--model", model, "--epochs", args.get("epochs", "1"))));
    }

    private static String[] without(String[] argv, String... drop) {
        List<String> d = List.of(drop);
        return java.util.Arrays.stream(argv).filter(a -> !d.contains(a)).toArray(String[]::new);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
