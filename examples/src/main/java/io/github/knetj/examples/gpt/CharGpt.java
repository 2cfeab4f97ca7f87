package io.github.knetj.examples.gpt;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.TensorScope;
import io.github.knetj.autograd.AutoGrad;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.autograd.ShardedDiff;
import io.github.knetj.autograd.NNOps;
import io.github.knetj.autograd.Ops;
import io.github.knetj.data.Kjv;
import io.github.knetj.examples.BackendOptions;
import io.github.knetj.examples.Checked;
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
import io.github.knetj.train.NonFiniteGuard;
import io.github.knetj.train.Shards;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.Callable;

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
@Command(name = "gpt", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "A character-level GPT with the PyTorch peer's recipe, on the King James Bible or --text, then a sample with a KV cache.")
public final class CharGpt implements Callable<Integer> {
    /** The largest --text read: 64 MiB of characters. */
    static final long MAX_TEXT_BYTES = 64L << 20;

    @Mixin BackendOptions backendOptions;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "2000", description = "training steps, 0 to 10000000 (0: sample only, say after --load)")
    int steps;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "12", description = "windows per step, 1 to 4096")
    int batch;

    @Option(names = "--block", paramLabel = "N", defaultValue = "64", description = "characters per window (the context), 1 to 4096")
    int block;

    @Option(names = "--layers", paramLabel = "N", defaultValue = "4", description = "transformer blocks, 1 to 256")
    int layers;

    @Option(names = "--heads", paramLabel = "N", defaultValue = "4", description = "attention heads per block, 1 to 256; they divide --embd")
    int heads;

    @Option(names = "--embd", paramLabel = "N", defaultValue = "128", description = "embedding size, 1 to 16384, a multiple of --heads")
    int embd;

    @Option(names = "--tie", description = "tie the output head to the character embedding (weight tying)")
    boolean tie;

    @Option(names = "--activation", paramLabel = "NAME", defaultValue = "gelu",
            description = "the MLP's activation: gelu (exact, the peer's), gelu-tanh (PyTorch's approximate=\"tanh\") or relu")
    String activation;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "1e-3", description = "peak learning rate of AdamW, above 0 and at most 1000")
    double lr;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "100", description = "steps of linear warm-up before the cosine to lr/10, 0 to 10000000")
    int warmup;

    @Option(names = "--eval-every", paramLabel = "N", defaultValue = "250", description = "steps between validations (and the last step), 1 to 10000000")
    int evalEvery;

    @Option(names = "--eval-batches", paramLabel = "N", defaultValue = "20", description = "random batches of the held-out text per validation, 1 to 100000")
    int evalBatches;

    @Option(names = "--shards", paramLabel = "N|auto", defaultValue = "auto",
            description = "cut each batch's windows into N shards differentiated on their own threads (the same gradients, up to rounding); auto: one per thread; 1: off")
    String shards;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "seed of the weights, the batches and the sample")
    long seed;

    @Option(names = "--text", paramLabel = "FILE", description = "a UTF-8 text file (default: the King James Bible, fetched at first use)")
    String text;

    @Option(names = "--save", paramLabel = "FILE", description = "write the trained model and optimizer state as safetensors")
    String save;

    @Option(names = "--load", paramLabel = "FILE", description = "start from a saved model: a --save file, or a weights-only safetensors file")
    String load;

    @Option(names = "--allow-nonfinite", description = "go on when the loss becomes NaN or infinite (by default training stops with an error)")
    boolean allowNonFinite;

    @Option(names = "--prompt", paramLabel = "TEXT", defaultValue = "And ", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "the start of the sample (\\n for a new line); its characters must be in the text. Default: \"And \" (with the space)")
    String prompt;

    @Option(names = "--max-new", paramLabel = "N", defaultValue = "300", description = "characters to sample after the prompt, 0 to 100000")
    int maxNew;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0.8", description = "sampling temperature, above 0 and at most 100")
    double temperature;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "10", description = "sample among the K likeliest characters, 0 to 100000 (0: all)")
    int topK;

    public static void main(String[] args) {
        String[] argv = new String[args.length + 2];
        argv[0] = "train";
        argv[1] = "gpt";
        System.arraycopy(args, 0, argv, 2, args.length);
        System.exit(io.github.knetj.examples.Main.run(argv, System.out, System.err));
    }

    @Override public Integer call() throws IOException {
        Checked.range("--steps", steps, 0, 10_000_000);
        Checked.range("--batch", batch, 1, 4096);
        Checked.range("--block", block, 1, 4096);
        Checked.range("--layers", layers, 1, 256);
        Checked.range("--heads", heads, 1, 256);
        Checked.range("--embd", embd, 1, 16_384);
        if (embd % heads != 0) throw new IllegalArgumentException("--embd " + embd + ": expected a multiple of --heads " + heads);
        Checked.positive("--lr", lr, 1000);
        Checked.range("--warmup", warmup, 0, 10_000_000);
        Checked.range("--eval-every", evalEvery, 1, 10_000_000);
        Checked.range("--eval-batches", evalBatches, 1, 100_000);
        Checked.range("--max-new", maxNew, 0, 100_000);
        Checked.positive("--temperature", temperature, 100);
        Checked.range("--top-k", topK, 0, 100_000);
        String start = prompt.replace("\\n", "\n");
        if (start.isEmpty()) throw new IllegalArgumentException("--prompt: expected at least one character");
        Path savePath = save == null ? null : Checked.output("--save", save);
        Path loadPath = load == null ? null : Checked.input("--load", load, "a safetensors model file");
        boolean loadOptimizer = loadPath != null && ModelIO.hasOptimizerState(loadPath);   // reads the header: a bad file fails now
        Path textFile = text == null ? null : Checked.input("--text", text, "a UTF-8 text file");
        Backend backend = backendOptions.apply();
        int shardCount = shards.equalsIgnoreCase("auto") ? Shards.auto(backend, batch)
                : Checked.range("--shards", Checked.integer("--shards", shards, "a shard count or auto"), 1, batch);
        Init.seed(seed);

        if (textFile == null) textFile = Kjv.file();
        String text = readText(textFile);
        TreeSet<Character> chars = new TreeSet<>();
        for (char c : text.toCharArray()) chars.add(c);
        StringBuilder alphabet = new StringBuilder();
        chars.forEach(alphabet::append);
        int[] ids = GptSampler.encode(alphabet.toString(), text);
        int split = ids.length * 9 / 10;
        if (ids.length - split <= block + 1) throw new IllegalArgumentException("gpt: the text " + textFile + " (" + ids.length + " characters) is too short for windows of " + block);
        GptSampler.encode(alphabet.toString(), start);   // a prompt character the text lacks is an error now, not after training
        int[] train = java.util.Arrays.copyOfRange(ids, 0, split), valid = java.util.Arrays.copyOfRange(ids, split, ids.length);

        Gpt model = new Gpt(alphabet.length(), block, layers, heads, embd, tie, activation(activation));
        List<Param> params = Params.of(model);
        Optimizer opt = ParamGroups.decayMatricesOnly(lr, 0.9, 0.99, 0.1).clipNorm(1.0)
                .schedule(LearningRate.warmup(warmup, LearningRate.cosine(Math.max(1, steps - warmup), lr / 10)));
        if (loadPath != null) {
            ModelIO.load(loadPath, model, loadOptimizer ? opt : null);
            System.err.println("loaded " + loadPath + (loadOptimizer ? " (optimizer at step " + opt.steps() + ")" : " (weights only: the optimizer starts afresh)"));
        }
        System.err.printf("gpt on %s (%s), %s: %d characters (%d train), alphabet of %d%n  %s%n  %s%n", backend.name(), backend.device(), textFile,
                ids.length, split, alphabet.length(), model, opt);

        NonFiniteGuard guard = allowNonFinite ? null : new NonFiniteGuard(model);
        SplittableRandom rng = new SplittableRandom(seed);
        List<Map<String, Object>> evals = new ArrayList<>();
        double trainSeconds = 0, lastLoss = Double.NaN;
        long trained = 0;
        int[] x = new int[batch * block], y = new int[batch * block];
        boolean console = System.console() != null;
        for (int step = 0; step < steps; step++) {
            long t0 = System.nanoTime();
            batch(train, block, rng, x, y);
            lastLoss = step(model, x, y, batch, block, shardCount, opt, params);
            trainSeconds += (System.nanoTime() - t0) / 1e9;
            trained += (long) batch * block;
            if (guard != null) guard.check(step + 1, lastLoss);
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
        if (savePath != null) {
            ModelIO.save(savePath, model, opt);
            System.err.println("saved " + savePath);
        }
        long t0 = System.nanoTime();
        String sample = GptSampler.sample(model, alphabet.toString(), start, maxNew, temperature, topK, seed, true);
        double sampleSeconds = (System.nanoTime() - t0) / 1e9;
        double[] fill = windowFill(model, alphabet.toString(), text.substring(0, 1), seed);
        System.out.println(sample);
        System.out.println(new Json().put("command", "train gpt").put("status", "ok").put("model", "gpt").put("backend", backend.name())
                .put("text", textFile.toAbsolutePath().toString())
                .put("parameters", model.size()).put("steps", steps).put("batch", batch).put("block", block).put("layers", layers).put("heads", heads)
                .put("embd", embd).put("activation", activation).put("tied", tie).put("train_seconds", Math.round(trainSeconds * 1000) / 1000.0)
                .put("tokens_per_second", trainSeconds > 0 ? Math.round(trained / trainSeconds * 10) / 10.0 : 0)
                .put("val_loss", evals.isEmpty() ? Double.NaN : evals.get(evals.size() - 1).get("val_loss")).put("evals", evals)
                .put("sample_seconds", sampleSeconds).put("window_fill_seconds", Map.of("cached", fill[0], "uncached", fill[1]))
                .put("cache_speedup", fill[1] / fill[0]).put("sample", sample));
        return 0;
    }

    /** The text of a checked file, at most {@link #MAX_TEXT_BYTES} of UTF-8. */
    static String readText(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_TEXT_BYTES) throw new IllegalArgumentException("--text " + file + ": " + size + " bytes, more than the " + MAX_TEXT_BYTES + " gpt reads");
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("--text " + file + ": not UTF-8 text (" + e.getMessage() + ")");
        }
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
    private static double step(Gpt model, int[] x, int[] y, int batch, int block, int shards, Optimizer opt, List<Param> params) {
        try (TensorScope scope = TensorScope.open()) {
            Tape tape;
            if (shards <= 1) tape = AutoGrad.diff(() -> NNOps.crossEntropy(model.logits(x, batch, block), y));
            else {
                // Each shard is whole windows: its mean over its tokens, weighted by its share of the windows.
                int[] sizes = ShardedDiff.split(batch, shards), first = new int[shards];
                for (int k = 1; k < shards; k++) first[k] = first[k - 1] + sizes[k - 1];
                tape = Shards.diff(Defaults.backend(), sizes, k -> {
                    int from = first[k] * block, to = from + sizes[k] * block;
                    return NNOps.crossEntropy(model.logits(Arrays.copyOfRange(x, from, to), sizes[k], block), Arrays.copyOfRange(y, from, to));
                });
            }
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

    /** The MLP's activation: gelu (exact, the peer's), gelu-tanh (PyTorch's approximate="tanh") or relu. */
    static Layer activation(String name) {
        return switch (name) {
            case "gelu" -> new GELU();
            case "gelu-tanh" -> Activation.of("gelu-tanh", Ops::geluTanh);
            case "relu" -> new ReLU();
            default -> throw new IllegalArgumentException("gpt: --activation must be gelu, gelu-tanh or relu, got '" + name + "'"
                    + io.github.knetj.examples.Nearest.suggestion(name, java.util.List.of("gelu", "gelu-tanh", "relu")));
        };
    }
}
