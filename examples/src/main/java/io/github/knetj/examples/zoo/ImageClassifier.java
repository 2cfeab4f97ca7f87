package io.github.knetj.examples.zoo;

import io.github.knetj.api.Backend;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.data.FashionMnist;
import io.github.knetj.data.Minibatch;
import io.github.knetj.data.Mnist;
import io.github.knetj.examples.Args;
import io.github.knetj.examples.Json;
import io.github.knetj.layers.Layer;
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
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The image classifiers of the zoo ({@code softmax}, {@code mnist-cnn}, {@code resnet}) share this run: MNIST or
 * Fashion-MNIST, standardized with the training set's mean and deviation, batches shuffled by the seed, a model and
 * an optimizer from a {@link Recipe}, {@link Trainer} with the test set after every epoch, then --save, --plot and a
 * final JSON line. {@code --train-size N} and {@code --test-size N} train and test on a seeded random subset, for quick
 * checks of a model that takes long on the full set.
 */
final class ImageClassifier {
    private ImageClassifier() {}

    /**
     * A model's defaults.
     *
     * @param name      the command's model name
     * @param data      "mnist" or "fashion"
     * @param xsize     the shape of one example ({784} or {1, 28, 28})
     * @param epochs    epochs
     * @param batch     batch size
     * @param lr        learning rate
     * @param optimizer optimizer name ({@link Optimizers#byName})
     * @param schedule  "constant" or "cosine" (down to 0 over all steps)
     */
    record Recipe(String name, String data, int[] xsize, int epochs, int batch, double lr, String optimizer, String schedule) {}

    /** Runs the recipe; {@code model} builds the network from the parsed options (after the seed is set). */
    static int run(Recipe r, String[] argv, Function<Args, Layer> model, String... extraOptions) throws IOException {
        String[] own = new String[extraOptions.length + 5];
        System.arraycopy(extraOptions, 0, own, 0, extraOptions.length);
        System.arraycopy(new String[]{"optimizer", "schedule", "train-size", "test-size", "pretrained"}, 0, own, extraOptions.length, 5);
        Args args = new Args(argv, java.util.Set.of()).allow(ZooSetup.options(own));
        Backend backend = ZooSetup.apply(args);
        int epochs = args.getInt("epochs", r.epochs()), batch = ZooSetup.positive(args, "batch", r.batch());
        if (epochs < 0) throw new IllegalArgumentException("--epochs must be >= 0, got " + epochs);
        double lr = args.getDouble("lr", r.lr());
        String optName = args.get("optimizer", r.optimizer()), schedule = args.get("schedule", r.schedule());
        if (!List.of("constant", "cosine").contains(schedule)) throw new IllegalArgumentException("--schedule: expected constant or cosine, got '" + schedule + "'");
        long seed = args.getLong("seed", 1);

        Mnist data = (r.data().equals("fashion") ? FashionMnist.load() : Mnist.load()).standardized();
        Mnist.Split train = subset(data.train(), args.getInt("train-size", data.train().size()), seed);
        Mnist.Split test = subset(data.test(), args.getInt("test-size", data.test().size()), seed + 1);
        Layer net = model.apply(args);
        Optimizer opt = Optimizers.byName(optName, lr);
        Minibatch dtrn = Minibatch.of(train.images(), train.labels(), r.xsize(), batch).shuffle(seed);
        Minibatch dtst = Minibatch.of(test.images(), test.labels(), r.xsize(), 500).partial(true);
        opt.schedule(schedule.equals("cosine") ? LearningRate.cosine(Math.max(1, (long) epochs * dtrn.size()), 0) : LearningRate.constant());
        ZooSetup.load(args, net, opt);
        if (args.has("pretrained")) PyTorchWeights.load(Path.of(args.get("pretrained", "")), net);
        System.err.println(net);
        System.err.printf("%s on %s (%s, %s): %,d training and %,d test images, %s lr %s %s, batch %d, %d epochs, seed %d%n", r.name(), r.data(),
                backend.name(), Defaults.dtype().label(), train.size(), test.size(), optName, lr, schedule, batch, epochs, seed);

        History history = epochs > 0 ? new Trainer().test(dtst).progress(ZooSetup.progress(args)).fit(net, dtrn, opt, epochs) : null;
        List<EpochStats> stats = history == null ? List.of() : history.epochs();
        double accuracy = stats.isEmpty() ? Trainer.evaluate(net, dtst).accuracy() : stats.get(stats.size() - 1).testAccuracy();
        ZooSetup.save(args, net, opt);
        if (args.has("plot") && history != null) {
            Plot.save(history, Path.of(args.get("plot", "")), r.name() + " on " + (r.data().equals("fashion") ? "Fashion-MNIST" : "MNIST"));
            System.err.println("plotted " + args.get("plot", ""));
        }
        double seconds = stats.stream().mapToDouble(EpochStats::seconds).sum();
        System.out.printf(java.util.Locale.ROOT, "test accuracy %.4f%n", accuracy);
        System.out.println(new Json().put("model", r.name()).put("data", r.data()).put("backend", backend.name()).put("dtype", Defaults.dtype().label())
                .put("epochs", stats.size()).put("batch", batch).put("optimizer", optName).put("lr", lr).put("schedule", schedule).put("seed", seed)
                .put("train_size", train.size()).put("test_size", test.size()).put("train_seconds", seconds)
                .put("test_accuracy_per_epoch", stats.stream().map(EpochStats::testAccuracy).toList())
                .put("train_loss_per_epoch", stats.stream().map(EpochStats::trainLoss).toList())
                .put("test_accuracy", accuracy));
        return 0;
    }

    /** n examples of s chosen by a seeded shuffle (all of s, in its order, when n is its size). */
    static Mnist.Split subset(Mnist.Split s, int n, long seed) {
        if (n < 1 || n > s.size()) throw new IllegalArgumentException("subset: expected 1 to " + s.size() + " examples, got " + n);
        if (n == s.size()) return s;
        int[] idx = new int[s.size()];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = idx.length - 1; i > 0; i--) { int j = rng.nextInt(i + 1), t = idx[i]; idx[i] = idx[j]; idx[j] = t; }
        float[] x = new float[n * 784];
        int[] y = new int[n];
        for (int k = 0; k < n; k++) {
            System.arraycopy(s.images(), idx[k] * 784, x, k * 784, 784);
            y[k] = s.labels()[idx[k]];
        }
        return new Mnist.Split(x, y);
    }
}
