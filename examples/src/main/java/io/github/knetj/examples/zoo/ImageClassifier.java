package io.github.knetj.examples.zoo;

import io.github.knetj.api.Backend;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.data.FashionMnist;
import io.github.knetj.data.Minibatch;
import io.github.knetj.data.Mnist;
import io.github.knetj.examples.Checked;
import io.github.knetj.examples.Json;
import io.github.knetj.layers.Layer;
import io.github.knetj.optim.LearningRate;
import io.github.knetj.optim.Optimizer;
import io.github.knetj.optim.Optimizers;
import io.github.knetj.train.EpochStats;
import io.github.knetj.train.History;
import io.github.knetj.train.NonFiniteGuard;
import io.github.knetj.train.Plot;
import io.github.knetj.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * The image classifiers of the zoo ({@code softmax}, {@code mnist-cnn}, {@code resnet}) share this run: MNIST or
 * Fashion-MNIST, standardized with the training set's mean and deviation, batches shuffled by the seed, a model and
 * an optimizer from a {@link Recipe}, {@link Trainer} with the test set after every epoch, then --save, --plot and a
 * final JSON line. {@code --train-size N} and {@code --test-size N} train and test on a seeded random subset, for quick
 * checks of a model that takes long on the full set. Every option is checked before the data set loads.
 */
abstract class ImageClassifier implements Callable<Integer> {
    /** Training and test images in MNIST and in Fashion-MNIST. */
    static final int TRAIN_SIZE = 60_000, TEST_SIZE = 10_000;

    enum Schedule { constant, cosine }

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
    record Recipe(String name, String data, int[] xsize, int epochs, int batch, double lr, String optimizer, String schedule) {
    }

    /** A recipe as the defaults of the options whose default differs by model (each command's --help shows them). */
    abstract static class RecipeDefaults implements CommandLine.IDefaultValueProvider {
        private final Map<String, String> values;

        RecipeDefaults(Recipe r) {
            values = Map.of("--epochs", Integer.toString(r.epochs()), "--batch", Integer.toString(r.batch()), "--lr", Double.toString(r.lr()),
                    "--optimizer", r.optimizer(), "--schedule", r.schedule());
        }

        @Override public String defaultValue(CommandLine.Model.ArgSpec arg) {
            return arg instanceof CommandLine.Model.OptionSpec o ? values.get(o.longestName()) : null;
        }
    }

    private final Recipe recipe;

    ImageClassifier(Recipe recipe) { this.recipe = recipe; }

    @Mixin ZooSetup common;

    @Option(names = "--epochs", paramLabel = "N", description = "passes over the training set, 0 to 1000 (0: evaluate only, say after --load or --pretrained)")
    int epochs;

    @Option(names = "--batch", paramLabel = "N", description = "examples per step, 1 to " + TRAIN_SIZE)
    int batch;

    @Option(names = "--lr", paramLabel = "RATE", description = "learning rate, above 0 and at most 1000")
    double lr;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "sgd, momentum, nesterov, adagrad, rmsprop, adadelta, adam or adamw")
    String optimizer;

    @Option(names = "--schedule", paramLabel = "NAME", description = "constant, or cosine (from --lr down to 0 over all the steps)")
    Schedule schedule;

    @Option(names = "--train-size", paramLabel = "N", description = "train on a seeded random subset of N images, 1 to " + TRAIN_SIZE + " (default: all)")
    Integer trainSize;

    @Option(names = "--test-size", paramLabel = "N", description = "test on a seeded random subset of N images, 1 to " + TEST_SIZE + " (default: all)")
    Integer testSize;

    @Option(names = "--pretrained", paramLabel = "FILE", description = "load weights a PyTorch script saved as safetensors (PyTorch's names)")
    String pretrained;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "draw loss and accuracy per epoch")
    String plot;

    /** The network, built from this command's own options after the seed is set. */
    abstract Layer network();

    /** Model options checked before any work, by the commands that have some. */
    void checkModelOptions() {}

    @Override public Integer call() throws IOException {
        Checked.range("--epochs", epochs, 0, 1000);
        Checked.range("--batch", batch, 1, TRAIN_SIZE);
        Checked.positive("--lr", lr, 1000);
        ZooSetup.optimizer(optimizer);
        if (trainSize != null) Checked.range("--train-size", trainSize, 1, TRAIN_SIZE);
        if (testSize != null) Checked.range("--test-size", testSize, 1, TEST_SIZE);
        checkModelOptions();
        if (plot != null && epochs == 0) throw new IllegalArgumentException("--plot draws the epochs of training; with --epochs 0 there are none");
        ZooSetup.Files files = common.check();
        Path plotPath = plot == null ? null : Checked.output("--plot", plot);
        Path pretrainedPath = pretrained == null ? null : Checked.input("--pretrained", pretrained, "a safetensors file of PyTorch weights");
        Backend backend = common.apply();

        // The model and its weights first, so that a file that does not fit it fails before the data set loads.
        Layer net = network();
        Optimizer opt = Optimizers.byName(optimizer, lr);
        ZooSetup.load(files, net, opt);
        if (pretrainedPath != null) PyTorchWeights.load(pretrainedPath, net);

        Mnist data = (recipe.data().equals("fashion") ? FashionMnist.load() : Mnist.load()).standardized();
        Mnist.Split train = subset(data.train(), trainSize == null ? data.train().size() : trainSize, common.seed);
        Mnist.Split test = subset(data.test(), testSize == null ? data.test().size() : testSize, common.seed + 1);
        Minibatch dtrn = Minibatch.of(train.images(), train.labels(), recipe.xsize(), batch).shuffle(common.seed);
        Minibatch dtst = Minibatch.of(test.images(), test.labels(), recipe.xsize(), 500).partial(true);
        opt.schedule(schedule == Schedule.cosine ? LearningRate.cosine(Math.max(1, (long) epochs * dtrn.size()), 0) : LearningRate.constant());
        System.err.println(net);
        System.err.printf("%s on %s (%s, %s): %,d training and %,d test images, %s lr %s %s, batch %d, %d epochs, seed %d%n", recipe.name(), recipe.data(),
                backend.name(), Defaults.dtype().label(), train.size(), test.size(), optimizer, lr, schedule, batch, epochs, common.seed);

        Trainer trainer = new Trainer().test(dtst).progress(common.progress);
        if (!common.allowNonFinite) trainer.onStep(new NonFiniteGuard(net));
        History history = epochs > 0 ? trainer.fit(net, dtrn, opt, epochs) : null;
        List<EpochStats> stats = history == null ? List.of() : history.epochs();
        double accuracy = stats.isEmpty() ? Trainer.evaluate(net, dtst).accuracy() : stats.get(stats.size() - 1).testAccuracy();
        ZooSetup.save(files.save(), net, opt);
        if (plotPath != null && history != null) {
            Plot.save(history, plotPath, recipe.name() + " on " + (recipe.data().equals("fashion") ? "Fashion-MNIST" : "MNIST"));
            System.err.println("plotted " + plotPath);
        }
        double seconds = stats.stream().mapToDouble(EpochStats::seconds).sum();
        System.out.printf(java.util.Locale.ROOT, "test accuracy %.4f%n", accuracy);
        System.out.println(new Json().put("command", "train " + recipe.name()).put("status", "ok")
                .put("model", recipe.name()).put("data", recipe.data()).put("backend", backend.name()).put("dtype", Defaults.dtype().label())
                .put("epochs", stats.size()).put("batch", batch).put("optimizer", optimizer).put("lr", lr).put("schedule", schedule.name()).put("seed", common.seed)
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
