package io.github.knetj.examples.rnn;

import io.github.knetj.api.Backend;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.NNOps;
import io.github.knetj.autograd.Ops;
import io.github.knetj.examples.Args;
import io.github.knetj.examples.Json;
import io.github.knetj.layers.Linear;
import io.github.knetj.layers.Params;
import io.github.knetj.layers.rnn.LSTM;
import io.github.knetj.layers.rnn.RNNConfig;
import io.github.knetj.layers.rnn.RNNOutput;
import io.github.knetj.optim.Optimizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A character-level language model (Knet's char-LSTM tutorial): embedding, LSTM, linear, trained with Adam to predict
 * each next character of a text. Every epoch reads the training part (the first 90%) once in windows of
 * {@code --seqlen} characters, from a random offset, shuffled; it reports the training perplexity exp(mean
 * cross-entropy) of the epoch and the perplexity of the held-out last 10%, and ends with text sampled from the model.
 * The default text is the opening of Shakespeare's Coriolanus (public domain).
 * <pre>./knetj train charlm --epochs 7 --batch 8 --seqlen 50 --hidden 128 --lr 0.01 --text my.txt</pre>
 * Other options: {@code --embed}, {@code --sample} (characters to sample), {@code --seed}, {@code --optimizer},
 * {@code --backend}, {@code --threads}, {@code --dtype}, {@code --save FILE}, {@code --load FILE}.
 */
public final class CharLM {
    static final String DEFAULT_TEXT = "coriolanus.txt";

    private CharLM() {}

    /** A text as indices into its sorted alphabet. */
    record Corpus(String text, String alphabet, int[] ids) {
        static Corpus of(String text) {
            TreeSet<Character> chars = new TreeSet<>();
            for (char c : text.toCharArray()) chars.add(c);
            StringBuilder alphabet = new StringBuilder();
            for (char c : chars) alphabet.append(c);
            int[] ids = new int[text.length()];
            for (int i = 0; i < ids.length; i++) ids[i] = alphabet.indexOf(String.valueOf(text.charAt(i)));
            return new Corpus(text, alphabet.toString(), ids);
        }

        int vocab() { return alphabet.length(); }
    }

    /** Embedding and LSTM in one layer, then a linear map to character scores. */
    record Model(LSTM lstm, Linear output) {
        /** Mean cross-entropy of each next character, for windows of inputs (B,T) and their targets shifted by one. */
        Value loss(int[][] inputs, int[] targets) {
            RNNOutput out = lstm.forward(inputs);
            Value y = out.y();
            return NNOps.crossEntropy(output.apply(Ops.reshape(y, -1, y.shape().dim(2))), targets);
        }
    }

    public static void main(String[] args) { System.exit(run(args)); }

    public static int run(String[] argv) {
        Args args = new Args(argv, Set.of()).allow(Set.of("epochs", "lr", "seed", "batch", "hidden", "embed", "seqlen", "text",
                "backend", "threads", "dtype", "optimizer", "save", "load", "sample"));
        Backend backend = RnnSetup.apply(args);
        int epochs = args.getInt("epochs", 7), batch = args.getInt("batch", 8), hidden = args.getInt("hidden", 128);
        int seqlen = args.getInt("seqlen", 50);
        double lr = args.getDouble("lr", 0.01);
        String source = args.get("text", DEFAULT_TEXT);
        Corpus corpus = Corpus.of(readText(args.has("text") ? args.get("text", "") : null));
        int split = corpus.ids().length * 9 / 10;
        if (epochs < 1 || batch < 1 || seqlen < 1) throw new IllegalArgumentException("charlm: --epochs, --batch and --seqlen must be >= 1");
        if (split < 2 * (seqlen + 1)) throw new IllegalArgumentException("charlm: the text " + source + " is too short for windows of " + seqlen + " characters");
        Model model = new Model(new LSTM(corpus.vocab(), hidden, RNNConfig.defaults().embed(args.getInt("embed", 32))), new Linear(hidden, corpus.vocab()));
        List<Param> params = Params.of(model);
        Optimizer optimizer = RnnSetup.optimizer(args, lr);
        RnnSetup.load(args, model, optimizer);
        SplittableRandom rng = new SplittableRandom(args.getLong("seed", 1));
        System.err.printf("charlm on %s (%s): %s, %d characters (%d for training), alphabet of %d%n  %s%n  %s%n",
                backend.name(), backend.device(), source, corpus.ids().length, split, corpus.vocab(), model.lstm(), model.output());

        List<Double> perplexities = new ArrayList<>(), validPerplexities = new ArrayList<>();
        long start = System.nanoTime();
        long tokens = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            List<Integer> starts = new ArrayList<>();
            for (int s = rng.nextInt(seqlen); s + seqlen + 1 <= split; s += seqlen) starts.add(s);
            if (starts.size() < batch)
                throw new IllegalArgumentException("charlm: the training text " + source + " holds only " + starts.size() + " windows of " + seqlen + " characters, fewer than --batch " + batch);
            for (int i = starts.size() - 1; i > 0; i--) java.util.Collections.swap(starts, i, rng.nextInt(i + 1));
            double sum = 0;
            int batches = 0;
            for (int from = 0; from + batch <= starts.size(); from += batch) {
                int[][] inputs = new int[batch][];
                int[] targets = new int[batch * seqlen];
                for (int b = 0; b < batch; b++) {
                    int s = starts.get(from + b);
                    inputs[b] = java.util.Arrays.copyOfRange(corpus.ids(), s, s + seqlen);
                    System.arraycopy(corpus.ids(), s + 1, targets, b * seqlen, seqlen);
                }
                sum += RnnSetup.step(() -> model.loss(inputs, targets), optimizer, params);
                batches++;
                tokens += (long) batch * seqlen;
            }
            double perplexity = Math.exp(sum / batches), valid = Math.exp(validLoss(model, corpus, split, seqlen));
            perplexities.add(perplexity);
            validPerplexities.add(valid);
            System.err.printf("epoch %d/%d: perplexity %.3f (held-out %.3f), %d batches, %.0f s, %.0f characters/s%n",
                    epoch, epochs, perplexity, valid, batches, RnnSetup.seconds(start), tokens / RnnSetup.seconds(start));
        }
        double seconds = RnnSetup.seconds(start);
        RnnSetup.save(args, model, optimizer);
        String text = corpus.text();
        String prefix = text.substring(0, Math.max(1, Math.min(20, text.indexOf('\n') + 1)));
        String sample = Sampler.sample(model.lstm(), model.output(), corpus.alphabet(), prefix, args.getInt("sample", 300), 0.8, rng.nextLong());
        System.out.println(sample);
        System.out.println(new Json().put("model", "charlm").put("backend", backend.name()).put("text", source).put("epochs", epochs)
                .put("batch", batch).put("seqlen", seqlen).put("hidden", hidden).put("lr", lr).put("perplexity", perplexities)
                .put("valid_perplexity", validPerplexities).put("seconds", seconds).put("tokens_per_second", tokens / seconds));
        return 0;
    }

    /** Mean cross-entropy over the held-out part, in windows (no gradients). */
    private static double validLoss(Model model, Corpus corpus, int split, int seqlen) {
        List<int[]> inputs = new ArrayList<>();
        List<Integer> targets = new ArrayList<>();
        for (int s = split; s + seqlen + 1 <= corpus.ids().length; s += seqlen) {
            inputs.add(java.util.Arrays.copyOfRange(corpus.ids(), s, s + seqlen));
            for (int i = 1; i <= seqlen; i++) targets.add(corpus.ids()[s + i]);
        }
        if (inputs.isEmpty()) return Double.NaN;
        return model.loss(inputs.toArray(int[][]::new), targets.stream().mapToInt(Integer::intValue).toArray()).item();
    }

    /** The text of a file, or the shipped default when file is null. */
    static String readText(String file) {
        try {
            if (file != null) return Files.readString(Path.of(file), StandardCharsets.UTF_8);
            try (InputStream in = CharLM.class.getResourceAsStream(DEFAULT_TEXT)) {
                if (in == null) throw new IllegalStateException("charlm: the default text " + DEFAULT_TEXT + " is missing from the class path");
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("charlm: cannot read the text " + file, e);
        }
    }
}
