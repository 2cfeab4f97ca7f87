package io.github.knetj.examples.zoo;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.TensorScope;
import io.github.knetj.autograd.AutoGrad;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.data.Batch;
import io.github.knetj.data.Minibatch;
import io.github.knetj.data.Mnist;
import io.github.knetj.examples.Checked;
import io.github.knetj.examples.Json;
import io.github.knetj.layers.Chain;
import io.github.knetj.layers.Dense;
import io.github.knetj.layers.Init;
import io.github.knetj.layers.LeakyReLU;
import io.github.knetj.layers.Losses;
import io.github.knetj.layers.Params;
import io.github.knetj.layers.Sigm;
import io.github.knetj.optim.Optimizer;
import io.github.knetj.optim.Optimizers;
import io.github.knetj.train.LoopProgress;
import io.github.knetj.train.NonFiniteGuard;
import io.github.knetj.train.Plot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static io.github.knetj.autograd.Ops.*;

/**
 * {@code ./knetj train gan}: the GAN-MLP of KnetLayers' examples (Goodfellow et al. 2014) on MNIST digits.
 * <pre>
 * generator      G(z) = σ(W₂ leakyrelu(W₁ z + b₁) + b₂)     z ~ N(0, I) of 64, hidden 256, 784 pixels in [0, 1]
 * discriminator  D(x) = W₄ leakyrelu(W₃ x + b₃) + b₄        a logit: x is real when it is high
 * D's loss       bce(D(x), 1) + bce(D(G(z)), 0)
 * G's loss       bce(D(G(z)), 1)                           (the non-saturating form)
 * </pre>
 * Each step updates D on a batch of real digits and one of fakes (made outside diff: constants to D's step), then
 * updates G through D. The two optimizers are each bound to their own model's parameters
 * ({@link Optimizer#bind}), so G's step leaves D alone though its tape reached D's parameters too. Adam, lr 2e-4,
 * β₁ = 0.5, batch 64, 10 epochs. After every epoch an 8×8 grid of digits generated from the same 64 noise vectors
 * is written to {@code --out} (gan-out/ unless given) as epoch-NN.png; both loss curves go to --plot (out/losses.png).
 */
@Command(name = "gan", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "KnetLayers' GAN-MLP on MNIST (Goodfellow et al.): a grid of generated digits after every epoch, in --out.")
public final class Gan implements Callable<Integer> {
    @Mixin ZooSetup common;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10", description = "passes over the training images, 1 to 1000")
    int epochs;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "64", description = "real images (and as many generated ones) per step, 1 to 60000")
    int batch;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "2e-4", description = "learning rate of both Adams, above 0 and at most 1000")
    double lr;

    @Option(names = "--zdim", paramLabel = "N", defaultValue = "64", description = "numbers of noise the generator starts from, 1 to 4096")
    int zdim;

    @Option(names = "--hidden", paramLabel = "N", defaultValue = "256", description = "hidden units of both models, 1 to 4096")
    int hidden;

    @Option(names = "--train-size", paramLabel = "N", defaultValue = "60000", description = "train on a seeded random subset of N images, 1 to 60000")
    int trainSize;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "gan-out", description = "the folder of the grids of generated digits")
    String out;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "where to draw both losses (default: OUT/losses.png)")
    String plot;

    /** The pair of models, one object so that --save and --load keep both. */
    public record Model(Chain generator, Chain discriminator) {
        static Model of(int zdim, int hidden) {
            return new Model(new Chain(new Dense(zdim, hidden, new LeakyReLU(0.2)), new Dense(hidden, 784, new Sigm())),
                    new Chain(new Dense(784, hidden, new LeakyReLU(0.2)), new Dense(hidden, 1, null)));
        }
    }

    @Override public Integer call() throws IOException {
        Checked.range("--epochs", epochs, 1, 1000);
        Checked.range("--batch", batch, 1, ImageClassifier.TRAIN_SIZE);
        Checked.positive("--lr", lr, 1000);
        Checked.range("--zdim", zdim, 1, 4096);
        Checked.range("--hidden", hidden, 1, 4096);
        Checked.range("--train-size", trainSize, 1, ImageClassifier.TRAIN_SIZE);
        if (out.isBlank()) throw new IllegalArgumentException("--out: expected a folder name, got an empty one");
        Path outDir = Path.of(out);
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) throw new IllegalArgumentException("--out " + out + ": exists and is not a folder");
        Checked.output("--out", outDir.resolve("epoch-01.png").toString());   // the folder can be made and written
        ZooSetup.Files files = common.check();
        Path plot = Checked.output("--plot", this.plot != null ? this.plot : outDir.resolve("losses.png").toString());
        Backend backend = common.apply();
        long seed = common.seed;
        Model m = Model.of(zdim, hidden);
        ZooSetup.load(files, m, null);
        Files.createDirectories(outDir);

        Mnist.Split train = ImageClassifier.subset(Mnist.load().train(), trainSize, seed);
        Minibatch data = Minibatch.of(train.images(), new int[]{784}, batch).shuffle(seed);
        List<Param> gParams = Params.of(m.generator()), dParams = Params.of(m.discriminator());
        Optimizer gOpt = Optimizers.adam(lr, 0.5, 0.999, 1e-8).bind(gParams), dOpt = Optimizers.adam(lr, 0.5, 0.999, 1e-8).bind(dParams);
        Value fixedNoise = new Value(Init.gaussian(1, 64, zdim));
        System.err.printf("gan on MNIST (%s, %s): G %s%n  D %s%n  %,d images, batch %d, %d epochs, Adam lr %s β1 0.5, seed %d%n",
                backend.name(), Defaults.dtype().label(), m.generator(), m.discriminator(), train.size(), batch, epochs, lr, seed);

        NonFiniteGuard guard = common.allowNonFinite ? null : new NonFiniteGuard(m);
        List<Double> dSteps = new ArrayList<>(), gSteps = new ArrayList<>(), dEpochs = new ArrayList<>(), gEpochs = new ArrayList<>();
        List<Double> realScores = new ArrayList<>(), fakeScores = new ArrayList<>();
        List<String> grids = new ArrayList<>();
        long start = System.nanoTime();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            double dSum = 0, gSum = 0, realSum = 0, fakeSum = 0;
            int steps = 0;
            double[] last = {Double.NaN};
            for (Batch b : LoopProgress.progress(data, () -> last[0]).to(common.progress, System.err, "epoch " + epoch + "/" + epochs).epoch(epoch, epochs)) {
                try (TensorScope scope = TensorScope.open()) {
                    Value x = b.x();
                    Value fake = m.generator().apply(new Value(Init.gaussian(1, b.size(), zdim)));   // outside diff: a constant for D's step
                    Value[] logits = new Value[2];
                    Tape dTape = AutoGrad.diff(() -> {
                        logits[0] = m.discriminator().apply(x);
                        logits[1] = m.discriminator().apply(fake);
                        return add(Losses.bce(logits[0], onesLike(logits[0])), Losses.bce(logits[1], zerosLike(logits[1])));
                    });
                    dOpt.step(dTape);
                    Value z = new Value(Init.gaussian(1, b.size(), zdim));
                    Tape gTape = AutoGrad.diff(() -> {
                        Value s = m.discriminator().apply(m.generator().apply(z));
                        return Losses.bce(s, onesLike(s));
                    });
                    gOpt.step(gTape);
                    keep(scope, gParams, gOpt);
                    keep(scope, dParams, dOpt);
                    dSteps.add(dTape.value());
                    gSteps.add(gTape.value());
                    dSum += dTape.value();
                    gSum += gTape.value();
                    realSum += mean(sigm(logits[0])).item();
                    fakeSum += mean(sigm(logits[1])).item();
                    last[0] = dTape.value();
                    if (guard != null) {
                        guard.check(dSteps.size(), dTape.value());
                        guard.check(gSteps.size(), gTape.value());
                    }
                    steps++;
                }
            }
            dEpochs.add(dSum / steps);
            gEpochs.add(gSum / steps);
            realScores.add(realSum / steps);
            fakeScores.add(fakeSum / steps);
            Path grid = outDir.resolve(String.format("epoch-%02d.png", epoch));
            ImageGrid.write(grid, m.generator().apply(fixedNoise).data().toFloatArray(), 8, 28);
            grids.add(grid.toString());
            System.err.printf(java.util.Locale.ROOT, "epoch %d/%d: D loss %.4f, G loss %.4f, D(x) %.3f, D(G(z)) %.3f, %.0f s; wrote %s%n",
                    epoch, epochs, dSum / steps, gSum / steps, realSum / steps, fakeSum / steps, (System.nanoTime() - start) / 1e9, grid);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!dSteps.isEmpty()) {
            plotLosses(plot, dSteps, gSteps, data.size());
            System.err.println("plotted " + plot);
        }
        ZooSetup.save(files.save(), m, null);
        System.out.println(new Json().put("command", "train gan").put("status", "ok").put("model", "gan").put("backend", backend.name()).put("dtype", Defaults.dtype().label()).put("epochs", epochs)
                .put("batch", batch).put("lr", lr).put("seed", seed).put("train_size", train.size()).put("seconds", seconds)
                .put("d_loss_per_epoch", dEpochs).put("g_loss_per_epoch", gEpochs).put("d_real_per_epoch", realScores).put("d_fake_per_epoch", fakeScores)
                .put("grids", grids).put("plot", dSteps.isEmpty() ? null : plot.toString()));
        return 0;
    }

    /** Both losses per step, each averaged over windows of ~1/10 epoch so the curves are readable. */
    private static void plotLosses(Path png, List<Double> d, List<Double> g, int stepsPerEpoch) throws IOException {
        int w = Math.max(1, stepsPerEpoch / 10), n = d.size() / w;
        if (n == 0) { w = d.size(); n = 1; }
        double[] x = new double[n], dm = new double[n], gm = new double[n];
        for (int i = 0; i < n; i++) {
            for (int k = i * w; k < (i + 1) * w; k++) { dm[i] += d.get(k) / w; gm[i] += g.get(k) / w; }
            x[i] = (i + 1.0) * w / stepsPerEpoch;
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("discriminator loss", dm);
        series.put("generator loss", gm);
        Plot.curves(png, "GAN on MNIST: losses (mean over " + w + " steps)", "epoch", "loss", x, series);
    }

    private static void keep(TensorScope scope, List<Param> params, Optimizer opt) {
        for (Param p : params) {
            scope.keep(p.data());
            for (Tensor t : opt.slots(p)) scope.keep(t);
        }
    }
}
