package io.github.knetj.examples.rnn;

import io.github.knetj.api.Backend;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.NNOps;
import io.github.knetj.autograd.Ops;
import io.github.knetj.examples.Checked;
import io.github.knetj.examples.Json;
import io.github.knetj.layers.Linear;
import io.github.knetj.layers.Params;
import io.github.knetj.layers.rnn.LSTM;
import io.github.knetj.layers.rnn.RNNConfig;
import io.github.knetj.layers.rnn.RNNOutput;
import io.github.knetj.optim.Optimizer;
import io.github.knetj.train.NonFiniteGuard;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
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
@Command(name = "charlm", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "A character-level LSTM language model (Knet's char-LSTM tutorial) on a text: perplexity per epoch, then a sample.")
public final class CharLM implements Callable<Integer> {
    static final String DEFAULT_TEXT = "coriolanus.txt";
    /** The largest --text read: 64 MiB of characters (a text takes 2 bytes a character in the heap, ids 4 more). */
    static final long MAX_TEXT_BYTES = 64L << 20;

    @Mixin RnnOptions common;
    @Option(names = "--epochs", paramLabel = "N", defaultValue = "7", description = "passes over the training text, 1 to 1000") int epochs;
    @Option(names = "--batch", paramLabel = "N", defaultValue = "8", description = "windows per step, 1 to 4096") int batch;
    @Option(names = "--hidden", paramLabel = "N", defaultValue = "128", description = "LSTM hidden size, 1 to 4096") int hidden;
    @Option(names = "--embed", paramLabel = "N", defaultValue = "32", description = "character embedding size, 1 to 4096") int embed;
    @Option(names = "--seqlen", paramLabel = "N", defaultValue = "50", description = "characters per window, 1 to 10000") int seqlen;
    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "0.01", description = "learning rate, above 0 and at most 1000") double lr;
    @Option(names = "--text", paramLabel = "FILE", description = "a UTF-8 text file (default: the opening of Shakespeare's Coriolanus)") String text;
    @Option(names = "--sample", paramLabel = "N", defaultValue = "300", description = "characters to sample at the end, 0 to 100000") int sampleLength;

    /** Embedding and LSTM in one layer, then a linear map to character scores. */
    record Model(LSTM lstm, Linear output) {
        /** Mean cross-entropy of each next character, for windows of inputs (B,T) and their targets shifted by one. */
        Value loss(int[][] inputs, int[] targets) {
            RNNOutput out = lstm.forward(inputs);
            Value y = out.y();
            return NNOps.crossEntropy(output.apply(Ops.reshape(y, -1, y.shape().dim(2))), targets);
        }
    }

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

    public static void main(String[] args) { System.exit(io.github.knetj.examples.Main.run(concat(new String[]{"train", "charlm"}, args), System.out, System.err)); }

    /** Parses argv as the options of charlm and runs it (tests); bad options are IllegalArgumentExceptions. */
    public static int run(String[] argv) {
        CharLM c = new CharLM();
        try {
            new CommandLine(c).parseArgs(argv);
            return c.call();
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override public Integer call() throws IOException {
        Checked.range("--epochs", epochs, 1, 1000);
        Checked.range("--batch", batch, 1, 4096);
        Checked.range("--hidden", hidden, 1, 4096);
        Checked.range("--embed", embed, 1, 4096);
        Checked.range("--seqlen", seqlen, 1, 10_000);
        Checked.range("--sample", sampleLength, 0, 100_000);
        Checked.positive("--lr", lr, 1000);
        RnnOptions.Files files = common.check();
        Path textFile = text == null ? null : Checked.input("--text", text, "a UTF-8 text file");
        String source = text == null ? DEFAULT_TEXT : text;
        Corpus corpus = Corpus.of(readText(textFile));
        int split = corpus.ids().length * 9 / 10;
        if (split < 2 * (seqlen + 1)) throw new IllegalArgumentException("charlm: the text " + source + " is too short for windows of " + seqlen + " characters");
        Backend backend = RnnSetup.apply(common);
        Model model = new Model(new LSTM(corpus.vocab(), hidden, RNNConfig.defaults().embed(embed)), new Linear(hidden, corpus.vocab()));
        List<Param> params = Params.of(model);
        Optimizer optimizer = RnnSetup.optimizer(common, lr);
        RnnSetup.load(files.load(), model, optimizer);
        NonFiniteGuard guard = common.allowNonFinite ? null : new NonFiniteGuard(model);
        SplittableRandom rng = new SplittableRandom(common.seed);
        System.err.printf("charlm on %s (%s): %s, %d characters (%d for training), alphabet of %d%n  %s%n  %s%n",
                backend.name(), backend.device(), source, corpus.ids().length, split, corpus.vocab(), model.lstm(), model.output());

        List<Double> perplexities = new ArrayList<>(), validPerplexities = new ArrayList<>();
        long start = System.nanoTime();
        long tokens = 0, steps = 0;
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
                sum += RnnSetup.step(() -> model.loss(inputs, targets), optimizer, params, guard, ++steps);
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
        RnnSetup.save(files.save(), model, optimizer);
        String text = corpus.text();
        String prefix = text.substring(0, Math.max(1, Math.min(20, text.indexOf('\n') + 1)));
        String sample = Sampler.sample(model.lstm(), model.output(), corpus.alphabet(), prefix, sampleLength, 0.8, rng.nextLong());
        System.out.println(sample);
        System.out.println(new Json().put("command", "train charlm").put("status", "ok").put("model", "charlm").put("backend", backend.name()).put("text", source).put("epochs", epochs)
                .put("batch", batch).put("seqlen", seqlen).put("hidden", hidden).put("lr", lr).put("perplexity", perplexities)
                .put("valid_perplexity", validPerplexities).put("seconds", seconds).put("tokens_per_second", tokens / seconds));
        return 0;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
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

    /** The text of a checked file (at most {@link #MAX_TEXT_BYTES}, UTF-8), or the shipped default when file is null. */
    static String readText(Path file) throws IOException {
        if (file != null) {
            long size = Files.size(file);
            if (size > MAX_TEXT_BYTES) throw new IllegalArgumentException("--text " + file + ": " + size + " bytes, more than the " + MAX_TEXT_BYTES + " charlm reads");
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("--text " + file + ": not UTF-8 text (" + e.getMessage() + ")");
            }
        }
        try (InputStream in = CharLM.class.getResourceAsStream(DEFAULT_TEXT)) {
            if (in == null) throw new IllegalStateException("charlm: the default text " + DEFAULT_TEXT + " is missing from the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
