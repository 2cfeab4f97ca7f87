package io.github.knetj.examples.zoo;

import io.github.knetj.api.Backend;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.data.AutoMpg;
import io.github.knetj.data.Batch;
import io.github.knetj.data.Minibatch;
import io.github.knetj.examples.Args;
import io.github.knetj.examples.Json;
import io.github.knetj.layers.Linear;
import io.github.knetj.layers.Losses;
import io.github.knetj.optim.LearningRate;
import io.github.knetj.optim.Optimizer;
import io.github.knetj.optim.Optimizers;
import io.github.knetj.train.History;
import io.github.knetj.train.Objective;
import io.github.knetj.train.Plot;
import io.github.knetj.train.Trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code ./knetj train linreg}: Knet's housing example, linear regression ŷ = w·x + b trained by minibatch gradient
 * descent on the mean squared error, here on Auto MPG ({@link AutoMpg}: 392 cars, 8 standardized features, miles per
 * gallon; 80/20 split). The test RMSE is compared with that of the closed-form least-squares fit on the same
 * training part ({@link LeastSquares}, the normal equations in float64): they must agree to 1%.
 * Adam, lr 0.05 on a cosine to 0, batch 16, 300 epochs (about 6,000 steps of 9 numbers: a few seconds); the
 * training part has 314 cars, the test part 78.
 */
public final class LinearRegression {
    private LinearRegression() {}

    public static int run(String[] argv) throws IOException {
        Args args = new Args(argv, Set.of()).allow(ZooSetup.options("optimizer"));
        Backend backend = ZooSetup.apply(args);
        int epochs = args.getInt("epochs", 300), batch = ZooSetup.positive(args, "batch", 16);
        double lr = args.getDouble("lr", 0.05);
        String optName = args.get("optimizer", "adam");
        long seed = args.getLong("seed", 1);
        AutoMpg.Split data = AutoMpg.split(AutoMpg.load(), 0.2);
        int f = data.train().features();
        Minibatch dtrn = Minibatch.of(data.train().x(), data.train().y(), new int[]{f}, new int[]{1}, batch).shuffle(seed).partial(true);
        Minibatch dtst = Minibatch.of(data.test().x(), data.test().y(), new int[]{f}, new int[]{1}, data.test().size());
        Linear model = new Linear(f, 1);
        Optimizer opt = Optimizers.byName(optName, lr).schedule(LearningRate.cosine(Math.max(1, (long) epochs * dtrn.size()), 0));
        ZooSetup.load(args, model, opt);
        System.err.printf("linreg on Auto MPG (%s): %s, %d training and %d test cars, %d features %s, %s lr %s cosine, batch %d, %d epochs%n",
                backend.name(), model, data.train().size(), data.test().size(), f, AutoMpg.FEATURES, optName, lr, batch, epochs);

        Objective<Linear, Batch> mse = (m, b) -> Losses.mse(m.apply(b.x()), b.targets());
        History history = epochs > 0 ? new Trainer().progress(ZooSetup.progress(args)).fit(model, dtrn, dtst, mse, opt, epochs) : null;
        double rmse = Math.sqrt(Trainer.evaluate(model, dtst, mse).loss());
        double[] exact = LeastSquares.fit(data.train().x(), data.train().y(), f);
        double exactRmse = LeastSquares.rmse(exact, data.test().x(), data.test().y(), f);
        double ratio = rmse / exactRmse;
        ZooSetup.save(args, model, opt);
        if (args.has("plot") && history != null) { Plot.save(history, Path.of(args.get("plot", "")), "linreg on Auto MPG"); System.err.println("plotted " + args.get("plot", "")); }
        System.out.printf(java.util.Locale.ROOT, "test RMSE %.4f mpg; closed-form least squares %.4f mpg (ratio %.4f)%n", rmse, exactRmse, ratio);
        System.out.println(new Json().put("model", "linreg").put("data", "auto-mpg").put("backend", backend.name()).put("dtype", Defaults.dtype().label())
                .put("epochs", history == null ? 0 : history.epochs().size()).put("batch", batch).put("optimizer", optName).put("lr", lr).put("seed", seed)
                .put("train_size", data.train().size()).put("test_size", data.test().size())
                .put("test_rmse", rmse).put("closed_form_test_rmse", exactRmse).put("ratio", ratio).put("within_1_percent", Math.abs(ratio - 1) <= 0.01));
        return 0;
    }
}
