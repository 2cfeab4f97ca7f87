package io.github.knetj.examples.gpt;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.TensorScope;
import io.github.knetj.autograd.AutoGrad;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.autograd.NNOps;
import io.github.knetj.autograd.Ops;
import io.github.knetj.data.Kjv;
import io.github.knetj.examples.Args;
import io.github.knetj.examples.Json;
import io.github.knetj.io.ModelIO;
import io.github.knetj.layers.Activation;
import io.github.knetj.layers.GELU;
import io.github.knetj.layers.Init;
import io.github.knetj.layers.Layer;
import io.github.knetj.layers.ReLU;
import io.github.knetj.layers.Params;
import io.github.knetj.optim.LearningRate;
import io.github.knetj.optim.Optimizer;
import io.github.knetj.optim.ParamGroups;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * {@code ./knetj train gpt}: a character-level {@link Gpt} trained as the PyTorch peer ({@code bench/peers/torch_gpt.py})
 * trains it, with its defaults: 4 layers, 4 heads, embedding 128, context 64, batch 12, 2000 steps, AdamW lr 1e-3,
 * betas (0.9, 0.99), weight decay 0.1 on matrices, 100 warm-up steps then cosine to lr/10, gradients clipped to global
 * norm 1; random windows of the first 90% of the text train, the last 10% validates (mean loss of 20 random batches
 * every 250 steps). The text is the King James Bible ({@link Kjv}, fetched at first use) unless {@code --text FILE}.
 * Then it samples {@code --max-new} characters from {@code --prompt} with a KV cache, and times filling one context
 * window with the cache and without. {@code --tie} ties the output head to the embedding; {@code --activation gelu|gelu-tanh|relu} picks the MLP's activation
 * (gelu, exact, is the peer's). The last line is JSON.
 */
public final class CharGpt {
    private CharGpt() {}

    private static final Set<String> OPTIONS = Set.of("steps", "batch", "block", "layers", "heads", "embd", "lr", "warmup", "eval-every", "eval-batches",
            "seed", "text", "backend", "threads", "dtype", "save", "load", "prompt", "temperature", "top-k", "max-new", "tie", "activation");

    public static void main(String[] args) throws IOException { System.exit(run(args)); }

    public static int run(String[] argv) throws IOException {
        Args args = new Args(argv, Set.of("tie")).allow(OPTIONS);
        int steps = args.getInt("steps", 2000), batch = args.getInt("batch", 12), block = args.getInt("block", 64);
        int layers = args.getInt("layers", 4), heads = args.getInt("heads", 4), embd = args.getInt("embd", 128);
        int warmup = args.getInt("warmup", 100), evalEvery = args.getInt("eval-every", 250), evalBatches = args.getInt("eval-batches", 20);
        double lr = args.getDouble("lr", 1e-3);
        long seed = args.getLong("seed", 1);
        if (steps < 0 || batch < 1 || block < 1 || layers < 1 || heads < 1 || embd % heads != 0 || warmup < 0 || evalEvery < 1 || evalBatches < 1)
            throw new IllegalArgumentException("gpt: expected --steps ≥ 0, --batch, --block, --layers, --heads, --eval-every, --eval-batches ≥ 1, --warmup ≥ 0 and --embd divisible by --heads");
        if (args.has("threads")) System.setProperty("knetj.threads", args.get("threads", "2"));
        Backend backend = args.has("backend") ? Backends.get(args.get("backend", "auto")) : Backends.get();
        Defaults.backend(backend);
        Defaults.dtype(DType.parse(args.get("dtype", "float32")));
        Init.seed(seed);

        Path textFile = args.has("text") ? Path.of(args.get("text", "")) : Kjv.file();
        String text = Files.readString(textFile, StandardCharsets.UTF_8);
        TreeSet<Character> chars = new TreeSet<>();
        for (char c : text.toCharArray()) chars.add(c);
        StringBuilder alphabet = new StringBuilder();
        chars.forEach(alphabet::append);
        int[] ids = GptSampler.encode(alphabet.toString(), text);
        int split = ids.length * 9 / 10;
        if (ids.length - split <= block + 1) throw new IllegalArgumentException("gpt: the text " + textFile + " (" + ids.length + " characters) is too short for windows of " + block);
        int[] train = java.util.Arrays.copyOfRange(ids, 0, split), valid = java.util.Arrays.copyOfRange(ids, split, ids.length);

        Gpt model = new Gpt(alphabet.length(), block, layers, heads, embd, args.has("tie"), activation(args.get("activation", "gelu")));
        List<Param> params = Params.of(model);
        Optimizer opt = ParamGroups.decayMatricesOnly(lr, 0.9, 0.99, 0.1).clipNorm(1.0)
                .schedule(LearningRate.warmup(warmup, LearningRate.cosine(Math.max(1, steps - warmup), lr / 10)));
        if (args.has("load")) {
            ModelIO.load(Path.of(args.get("load", "")), model, opt);
            System.err.println("loaded " + args.get("load", "") + " (optimizer at step " + opt.steps() + ")");
        }
        System.err.printf("gpt on %s (%s), %s: %d characters (%d train), alphabet of %d%n  %s%n  %s%n", backend.name(), backend.device(), textFile,
                ids.length, split, alphabet.length(), model, opt);

        SplittableRandom rng = new SplittableRandom(seed);
        List<Map<String, Object>> evals = new ArrayList<>();
        double trainSeconds = 0, lastLoss = Double.NaN;
        long trained = 0;
        int[] x = new int[batch * block], y = new int[batch * block];
        boolean console = System.console() != null;
        for (int step = 0; step < steps; step++) {
            long t0 = System.nanoTime();
            batch(train, block, rng, x, y);
            lastLoss = step(model, x, y, batch, block, opt, params);
            trainSeconds += (System.nanoTime() - t0) / 1e9;
            trained += (long) batch * block;
            if (console || (step + 1) % 50 == 0) progress(step + 1, steps, lastLoss, trained / trainSeconds, trainSeconds, console);
            if ((step + 1) % evalEvery == 0 || step + 1 == steps) {
                double v = validate(model, valid, block, batch, evalBatches, rng);
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("step", step + 1);
                e.put("train_seconds", Math.round(trainSeconds * 1000) / 1000.0);
                e.put("val_loss", Math.round(v * 10000) / 10000.0);
                evals.add(e);
                System.err.printf("%sstep %d: train loss %.4f, val loss %.4f, %.1f s%n", console ? "\r" : "", step + 1, lastLoss, v, trainSeconds);
            }
        }
        if (args.has("save")) {
            ModelIO.save(Path.of(args.get("save", "")), model, opt);
            System.err.println("saved " + args.get("save", ""));
        }
        String prompt = args.get("prompt", "And ").replace("\\n", "\n");
        int maxNew = args.getInt("max-new", 300);
        long t0 = System.nanoTime();
        String sample = GptSampler.sample(model, alphabet.toString(), prompt, maxNew, args.getDouble("temperature", 0.8), args.getInt("top-k", 10), seed, true);
        double sampleSeconds = (System.nanoTime() - t0) / 1e9;
        double[] fill = windowFill(model, alphabet.toString(), text.substring(0, 1), seed);
        System.out.println(sample);
        System.out.println(new Json().put("model", "gpt").put("backend", backend.name()).put("text", textFile.toAbsolutePath().toString())
                .put("parameters", model.size()).put("steps", steps).put("batch", batch).put("block", block).put("layers", layers).put("heads", heads).put("activation", args.get("activation", "gelu")).put("tied", args.has("tie"))
                .put("embd", embd).put("train_seconds", Math.round(trainSeconds * 1000) / 1000.0)
                .put("tokens_per_second", trainSeconds > 0 ? Math.round(trained / trainSeconds * 10) / 10.0 : 0)
                .put("val_loss", evals.isEmpty() ? Double.NaN : evals.get(evals.size() - 1).get("val_loss")).put("evals", evals)
                .put("sample_seconds", sampleSeconds).put("window_fill_seconds", Map.of("cached", fill[0], "uncached", fill[1]))
                .put("cache_speedup", fill[1] / fill[0]).put("sample", sample));
        return 0;
    }

    /** The MLP's activation: gelu (exact, the peer's), gelu-tanh (PyTorch's approximate="tanh") or relu. */
    static Layer activation(String name) {
        return switch (name) {
            case "gelu" -> new GELU();
            case "gelu-tanh" -> Activation.of("gelu-tanh", Ops::geluTanh);
            case "relu" -> new ReLU();
            default -> throw new IllegalArgumentException("gpt: --activation must be gelu, gelu-tanh or relu, got '" + name + "'");
        };
    }

    /** batch windows of block characters at random starts in [0, n − block − 1), and the same windows shifted by one. */
    static void batch(int[] data, int block, SplittableRandom rng, int[] x, int[] y) {
        for (int b = 0; b < x.length / block; b++) {
            int s = rng.nextInt(data.length - block - 1);
            System.arraycopy(data, s, x, b * block, block);
            System.arraycopy(data, s + 1, y, b * block, block);
        }
    }

    /** One AdamW step on one batch, inside a tensor scope that keeps only the new parameters and optimizer state. */
    private static double step(Gpt model, int[] x, int[] y, int batch, int block, Optimizer opt, List<Param> params) {
        try (TensorScope scope = TensorScope.open()) {
            Tape tape = AutoGrad.diff(() -> NNOps.crossEntropy(model.logits(x, batch, block), y));
            double loss = tape.value();
            opt.step(tape);
            for (Param p : params) {
                scope.keep(p.data());
                for (Tensor t : opt.slots(p)) scope.keep(t);
            }
            return loss;
        }
    }

    /** The mean loss of evalBatches random batches of the validation text (no gradients), as the peer computes it. */
    static double validate(Gpt model, int[] valid, int block, int batch, int evalBatches, SplittableRandom rng) {
        int[] x = new int[batch * block], y = new int[batch * block];
        double sum = 0;
        for (int i = 0; i < evalBatches; i++) {
            batch(valid, block, rng, x, y);
            try (TensorScope scope = TensorScope.open()) {
                sum += NNOps.crossEntropy(model.logits(x, batch, block), y).item();
            }
        }
        return sum / evalBatches;
    }

    /**
     * Seconds to fill one context window (block − 1 characters after a 1-character prompt) with the KV cache and by
     * recomputing the prefix for every character, each the best of three runs (the first also warms the JIT).
     */
    private static double[] windowFill(Gpt model, String alphabet, String prompt, long seed) {
        double[] best = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        for (int run = 0; run < 3; run++)
            for (int c = 0; c < 2; c++) {
                long t0 = System.nanoTime();
                GptSampler.sample(model, alphabet, prompt, model.block() - 1, 1.0, 0, seed, c == 0);
                best[c] = Math.min(best[c], (System.nanoTime() - t0) / 1e9);
            }
        return best;
    }

    private static void progress(int done, int steps, double loss, double tokensPerSecond, double seconds, boolean console) {
        int width = 30, filled = (int) ((long) width * done / Math.max(1, steps));
        String bar = "[" + "#".repeat(filled) + " ".repeat(width - filled) + "]";
        String line = String.format("%s %d/%d steps, loss %.4f, %.0f tokens/s, %.1f s", bar, done, steps, loss, tokensPerSecond, seconds);
        if (console) System.err.print("\r" + line); else System.err.println(line);
    }
}
