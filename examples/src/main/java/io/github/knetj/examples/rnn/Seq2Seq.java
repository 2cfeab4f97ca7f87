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
import java.io.UncheckedIOException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * Knet's sequence-to-sequence sorting example (KnetLayers' {@code s2smodel}): an LSTM encoder reads a sequence of
 * digits of random length, an LSTM decoder started from the encoder's final states writes the digits sorted and then
 * EOS. Trained with teacher forcing and Adam on ragged batches; scored by greedy decoding of held-out sequences, a
 * sequence counting only when every digit and the EOS are right (exact match). Held-out sequences are never drawn for
 * training; lengths start at 2 by default because the ten sequences of length 1 would all be held out, and never
 * trained on.
 * <pre>./knetj train seq2seq --epochs 10 --batch 64 --hidden 128 --lr 0.005 --minlen 2 --maxlen 8</pre>
 * Other options: {@code --steps} (batches per epoch), {@code --embed}, {@code --test} (held-out sequences), {@code --seed},
 * {@code --optimizer}, {@code --backend}, {@code --threads}, {@code --dtype}, {@code --save FILE}, {@code --load FILE}.
 */
@Command(name = "seq2seq", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Knet's sequence-to-sequence sorting example: an LSTM encoder-decoder learns to sort digit sequences.")
public final class Seq2Seq implements Callable<Integer> {
    static final int DIGITS = 10, BOS = 10, EOS = 11, VOCAB = 12;

    @Mixin RnnOptions common;
    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10", description = "epochs, 1 to 1000") int epochs;
    @Option(names = "--steps", paramLabel = "N", defaultValue = "100", description = "batches per epoch, 1 to 100000") int steps;
    @Option(names = "--batch", paramLabel = "N", defaultValue = "64", description = "sequences per batch, 1 to 4096") int batch;
    @Option(names = "--hidden", paramLabel = "N", defaultValue = "128", description = "LSTM hidden size, 1 to 4096") int hidden;
    @Option(names = "--embed", paramLabel = "N", defaultValue = "32", description = "token embedding size, 1 to 4096") int embed;
    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "0.005", description = "learning rate, above 0 and at most 1000") double lr;
    @Option(names = "--minlen", paramLabel = "N", defaultValue = "2", description = "shortest sequence, 1 to --maxlen") int minLen;
    @Option(names = "--maxlen", paramLabel = "N", defaultValue = "8", description = "longest sequence, --minlen to 100") int maxLen;
    @Option(names = "--test", paramLabel = "N", defaultValue = "1000", description = "held-out sequences, 1 to 100000") int testCount;

    /** Encoder and decoder LSTMs over embedded tokens, and the linear map from the decoder's output to token scores. */
    record Model(LSTM encoder, LSTM decoder, Linear output) {
        Model(int hidden, int embed) {
            this(new LSTM(VOCAB, hidden, RNNConfig.defaults().embed(embed)), new LSTM(VOCAB, hidden, RNNConfig.defaults().embed(embed)),
                    new Linear(hidden, VOCAB));
        }

        /** Mean cross-entropy of the next token at every position of every target [sorted digits, EOS]. */
        Value loss(List<int[]> inputs) {
            RNNOutput enc = encoder.forward(inputs);
            List<int[]> decoderIn = new ArrayList<>();
            for (int[] s : inputs) decoderIn.add(prepend(BOS, sorted(s)));
            RNNOutput dec = decoder.forward(decoderIn, enc.hidden(), enc.memory());
            int b = inputs.size(), t = dec.y().shape().dim(1), h = dec.y().shape().dim(2);
            // Only real positions count: row b·T + i of the padded output for i < the target's length.
            List<Integer> rows = new ArrayList<>(), labels = new ArrayList<>();
            for (int i = 0; i < b; i++) {
                int[] target = append(sorted(inputs.get(i)), EOS);
                for (int k = 0; k < target.length; k++) { rows.add(i * t + k); labels.add(target[k]); }
            }
            Value picked = NNOps.embed(Ops.reshape(dec.y(), b * t, h), ints(rows));
            return NNOps.crossEntropy(output.apply(picked), ints(labels));
        }

        /** Greedy decoding: the most likely token at each step is the next input, until EOS or maxLength + 1 steps. */
        List<int[]> decode(List<int[]> inputs, int maxLength) {
            RNNOutput enc = encoder.forward(inputs);
            Value h = enc.hidden(), c = enc.memory();
            int b = inputs.size();
            double[] previous = new double[b];
            Arrays.fill(previous, BOS);
            List<List<Integer>> out = new ArrayList<>();
            for (int i = 0; i < b; i++) out.add(new ArrayList<>());
            boolean[] done = new boolean[b];
            for (int step = 0; step <= maxLength; step++) {
                RNNOutput o = decoder.forward(Ops.array(previous, b, 1), h, c);
                h = o.hidden();
                c = o.memory();
                Value scores = output.apply(Ops.reshape(o.y(), b, -1));
                int[] next = scores.backend().reductions().argmax(scores.data(), 1);
                for (int i = 0; i < b; i++) {
                    if (done[i]) continue;
                    if (next[i] == EOS) done[i] = true;
                    else out.get(i).add(next[i]);
                    previous[i] = next[i];
                }
            }
            List<int[]> result = new ArrayList<>();
            for (int i = 0; i < b; i++) result.add(done[i] ? ints(out.get(i)) : null);   // no EOS: wrong however it began
            return result;
        }

        /** Greedy decoding of every input, scored by exact match overall and by input length. */
        Score score(List<int[]> inputs, int maxLength, int batch) {
            Score score = new Score(new int[maxLength + 1], new int[maxLength + 1], new ArrayList<>());
            for (int from = 0; from < inputs.size(); from += batch) {
                List<int[]> part = inputs.subList(from, Math.min(inputs.size(), from + batch));
                List<int[]> decoded = decode(part, maxLength);
                for (int i = 0; i < part.size(); i++) {
                    int[] x = part.get(i), y = decoded.get(i);
                    boolean ok = y != null && Arrays.equals(y, sorted(x));
                    score.total()[x.length]++;
                    if (ok) score.right()[x.length]++;
                    else if (score.failures().size() < 5) score.failures().add(Arrays.toString(x) + " -> " + (y == null ? "(no EOS)" : Arrays.toString(y)));
                }
            }
            return score;
        }
    }

    /** Exact matches and sequences by input length, and the first few failures. */
    record Score(int[] right, int[] total, List<String> failures) {
        double exactMatch() { return (double) Arrays.stream(right).sum() / Arrays.stream(total).sum(); }

        /** "1: 100.0%, 2: 99.1%, ..." */
        String byLength() {
            StringBuilder sb = new StringBuilder();
            for (int n = 0; n < total.length; n++)
                if (total[n] > 0) sb.append(sb.isEmpty() ? "" : ", ").append(String.format("%d: %.1f%%", n, 100.0 * right[n] / total[n]));
            return sb.toString();
        }
    }

    public static void main(String[] args) {
        String[] argv = new String[args.length + 2];
        argv[0] = "train";
        argv[1] = "seq2seq";
        System.arraycopy(args, 0, argv, 2, args.length);
        System.exit(io.github.knetj.examples.Main.run(argv, System.out, System.err));
    }

    /** Parses argv as the options of seq2seq and runs it (tests); bad options are IllegalArgumentExceptions. */
    public static int run(String[] argv) {
        Seq2Seq c = new Seq2Seq();
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
        Checked.range("--steps", steps, 1, 100_000);
        Checked.range("--batch", batch, 1, 4096);
        Checked.range("--hidden", hidden, 1, 4096);
        Checked.range("--embed", embed, 1, 4096);
        Checked.range("--test", testCount, 1, 100_000);
        Checked.positive("--lr", lr, 1000);
        if (minLen < 1 || maxLen < minLen || maxLen > 100)
            throw new IllegalArgumentException("seq2seq: need 1 <= --minlen <= --maxlen <= 100, got " + minLen + ", " + maxLen);
        // Every sequence of the held-out set is never drawn for training: with few possible sequences, training would
        // draw forever. 10^minLen sequences of the shortest length alone must outnumber the held-out ones.
        if (Math.pow(DIGITS, maxLen) < 2.0 * testCount)
            throw new IllegalArgumentException("seq2seq: --test " + testCount + " held-out sequences would leave too few of length " + minLen + " to "
                    + maxLen + " for training; use fewer, or a larger --maxlen");
        RnnOptions.Files files = common.check();
        Backend backend = RnnSetup.apply(common);
        long seed = common.seed;

        // Held-out sequences come from their own stream and are never drawn for training.
        SplittableRandom testRng = new SplittableRandom(seed ^ 0x5EED_7E57L), trainRng = new SplittableRandom(seed);
        List<int[]> test = new ArrayList<>();
        Set<String> held = new HashSet<>();
        for (int i = 0; i < testCount; i++) {
            int[] s = randomDigits(testRng, minLen, maxLen);
            test.add(s);
            held.add(Arrays.toString(s));
        }
        Model model = new Model(hidden, embed);
        List<Param> params = Params.of(model);
        Optimizer optimizer = RnnSetup.optimizer(common, lr);
        RnnSetup.load(files.load(), model, optimizer);
        NonFiniteGuard guard = common.allowNonFinite ? null : new NonFiniteGuard(model);
        System.err.printf("seq2seq sorting on %s (%s): digits of length %d..%d, %d held-out sequences%n  encoder %s%n  decoder %s%n  output %s%n",
                backend.name(), backend.device(), minLen, maxLen, test.size(), model.encoder(), model.decoder(), model.output());

        List<Double> losses = new ArrayList<>(), accuracies = new ArrayList<>();
        long start = System.nanoTime();
        int sequences = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            double sum = 0;
            for (int s = 0; s < steps; s++) {
                List<int[]> inputs = new ArrayList<>();
                while (inputs.size() < batch) {
                    int[] x = randomDigits(trainRng, minLen, maxLen);
                    if (!held.contains(Arrays.toString(x))) inputs.add(x);
                }
                sum += RnnSetup.step(() -> model.loss(inputs), optimizer, params, guard, (long) (epoch - 1) * steps + s + 1);
                sequences += batch;
            }
            Score score = model.score(test, maxLen, 500);
            double accuracy = score.exactMatch();
            losses.add(sum / steps);
            accuracies.add(accuracy);
            System.err.printf("epoch %d/%d: loss %.4f, held-out exact match %.1f%%, %.0f s, %.0f sequences/s%n",
                    epoch, epochs, sum / steps, 100 * accuracy, RnnSetup.seconds(start), sequences / RnnSetup.seconds(start));
        }
        List<int[]> show = test.subList(0, 3);
        List<int[]> decoded = model.decode(show, maxLen);
        for (int i = 0; i < show.size(); i++)
            System.out.println(Arrays.toString(show.get(i)) + " -> " + (decoded.get(i) == null ? "(no EOS)" : Arrays.toString(decoded.get(i))));
        Score last = model.score(test, maxLen, 500);
        System.out.println("held-out exact match by input length: " + last.byLength());
        if (!last.failures().isEmpty()) System.out.println("some failures: " + String.join("; ", last.failures()));
        double seconds = RnnSetup.seconds(start);
        RnnSetup.save(files.save(), model, optimizer);
        System.out.println(new Json().put("command", "train seq2seq").put("status", "ok").put("model", "seq2seq").put("backend", backend.name()).put("epochs", epochs).put("batch", batch)
                .put("hidden", hidden).put("lr", lr).put("train_sequences", sequences).put("test_sequences", test.size())
                .put("loss", losses).put("exact_match_per_epoch", accuracies).put("exact_match", accuracies.get(accuracies.size() - 1))
                .put("seconds", seconds).put("sequences_per_second", sequences / seconds));
        return 0;
    }

    static int[] randomDigits(SplittableRandom rng, int minLen, int maxLen) {
        int[] s = new int[minLen + rng.nextInt(maxLen - minLen + 1)];
        for (int i = 0; i < s.length; i++) s[i] = rng.nextInt(DIGITS);
        return s;
    }

    static int[] sorted(int[] s) {
        int[] c = s.clone();
        Arrays.sort(c);
        return c;
    }

    private static int[] prepend(int first, int[] rest) {
        int[] r = new int[rest.length + 1];
        r[0] = first;
        System.arraycopy(rest, 0, r, 1, rest.length);
        return r;
    }

    private static int[] append(int[] s, int last) {
        int[] r = Arrays.copyOf(s, s.length + 1);
        r[s.length] = last;
        return r;
    }

    private static int[] ints(List<Integer> xs) { return xs.stream().mapToInt(Integer::intValue).toArray(); }
}
