package io.github.knetj.examples.zoo;

import io.github.knetj.api.Backend;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.data.AutoMpg;
import io.github.knetj.data.Batch;
import io.github.knetj.data.Minibatch;
import io.github.knetj.examples.Checked;
import io.github.knetj.examples.Json;
import io.github.knetj.layers.Linear;
import io.github.knetj.layers.Losses;
import io.github.knetj.optim.LearningRate;
import io.github.knetj.optim.Optimizer;
import io.github.knetj.optim.Optimizers;
import io.github.knetj.train.History;
import io.github.knetj.train.NonFiniteGuard;
import io.github.knetj.train.Objective;
import io.github.knetj.train.Plot;
import io.github.knetj.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code ./knetj train linreg}: Knet's housing example, linear regression ŷ = w·x + b trained by minibatch gradient
 * descent on the mean squared error, here on Auto MPG ({@link AutoMpg}: 392 cars, 8 standardized features, miles per
 * gallon; 80/20 split). The test RMSE is compared with that of the closed-form least-squares fit on the same
 * training part ({@link LeastSquares}, the normal equations in float64): they must agree to 1%.
 * Adam, lr 0.05 on a cosine to 0, batch 16, 300 epochs (about 6,000 steps of 9 numbers: a few seconds); the
 * training part has 314 cars, the test part 78.
 */
@Command(name = "linreg", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Knet's housing example on Auto MPG: linear regression, its test RMSE held within 1%% of closed-form least squares.")
public final class LinearRegression implements Callable<Integer> {
    @Mixin ZooSetup common;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "300", description = "passes over the training part, 0 to 100000 (0: evaluate only, say after --load)")
    int epochs;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "16", description = "cars per step, 1 to 100000 (the training part has 314)")
    int batch;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "0.05", description = "learning rate, above 0 and at most 1000; on a cosine to 0 over all the steps")
    double lr;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam", description = "sgd, momentum, nesterov, adagrad, rmsprop, adadelta, adam or adamw")
    String optimizer;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "draw the train and test loss per epoch")
    String plot;

    @Override public Integer call() throws IOException {
        Checked.range("--epochs", epochs, 0, 100_000);
        Checked.range("--batch", batch, 1, 100_000);
        Checked.positive("--lr", lr, 1000);
        ZooSetup.optimizer(optimizer);
        if (plot != null && epochs == 0) throw new IllegalArgumentException("--plot draws the epochs of training; with --epochs 0 there are none");
        ZooSetup.Files files = common.check();
        Path plotPath = plot == null ? null : Checked.output("--plot", plot);
        Backend backend = common.apply();
        long seed = common.seed;
        AutoMpg.Split data = AutoMpg.split(AutoMpg.load(), 0.2);
        int f = data.train().features();
        Minibatch dtrn = Minibatch.of(data.train().x(), data.train().y(), new int[]{f}, new int[]{1}, batch).shuffle(seed).partial(true);
        Minibatch dtst = Minibatch.of(data.test().x(), data.test().y(), new int[]{f}, new int[]{1}, data.test().size());
        Linear model = new Linear(f, 1);
        Optimizer opt = Optimizers.byName(optimizer, lr).schedule(LearningRate.cosine(Math.max(1, (long) epochs * dtrn.size()), 0));
        ZooSetup.load(files, model, opt);
        System.err.printf("linreg on Auto MPG (%s): %s, %d training and %d test cars, %d features %s, %s lr %s cosine, batch %d, %d epochs%n",
                backend.name(), model, data.train().size(), data.test().size(), f, AutoMpg.FEATURES, optimizer, lr, batch, epochs);

        Objective<Linear, Batch> mse = (m, b) -> Losses.mse(m.apply(b.x()), b.targets());
        Trainer trainer = new Trainer().progress(common.progress);
        if (!common.allowNonFinite) trainer.onStep(new NonFiniteGuard(model));
        History history = epochs > 0 ? trainer.fit(model, dtrn, dtst, mse, opt, epochs) : null;
        double rmse = Math.sqrt(Trainer.evaluate(model, dtst, mse).loss());
        double[] exact = LeastSquares.fit(data.train().x(), data.train().y(), f);
        double exactRmse = LeastSquares.rmse(exact, data.test().x(), data.test().y(), f);
        double ratio = rmse / exactRmse;
        ZooSetup.save(files.save(), model, opt);
        if (plotPath != null && history != null) { Plot.save(history, plotPath, "linreg on Auto MPG"); System.err.println("plotted " + plotPath); }
        System.out.printf(java.util.Locale.ROOT, "test RMSE %.4f mpg; closed-form least squares %.4f mpg (ratio %.4f)%n", rmse, exactRmse, ratio);
        System.out.println(new Json().put("command", "train linreg").put("status", "ok")
                .put("model", "linreg").put("data", "auto-mpg").put("backend", backend.name()).put("dtype", Defaults.dtype().label())
                .put("epochs", history == null ? 0 : history.epochs().size()).put("batch", batch).put("optimizer", optimizer).put("lr", lr).put("seed", seed)
                .put("train_size", data.train().size()).put("test_size", data.test().size())
                .put("test_rmse", rmse).put("closed_form_test_rmse", exactRmse).put("ratio", ratio).put("within_1_percent", Math.abs(ratio - 1) <= 0.01));
        return 0;
    }
}
