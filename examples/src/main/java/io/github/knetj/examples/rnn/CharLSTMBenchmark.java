package io.github.knetj.examples.rnn;

import io.github.knetj.api.Backend;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.NNOps;
import io.github.knetj.autograd.Ops;
import io.github.knetj.examples.BackendOptions;
import io.github.knetj.examples.Checked;
import io.github.knetj.examples.Json;
import io.github.knetj.layers.Linear;
import io.github.knetj.layers.Params;
import io.github.knetj.layers.rnn.LSTM;
import io.github.knetj.layers.rnn.RNNConfig;
import io.github.knetj.optim.Optimizer;
import io.github.knetj.layers.Init;
import io.github.knetj.optim.Optimizers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.SplittableRandom;

/**
 * tokens/s of one char-LSTM training step, the model of the peer script {@code torch_lstm.py}: Embedding 256→256,
 * LSTM 512, Linear 512→256, softmax cross-entropy on the next character, Adam lr 0.001; random characters, sequence
 * 100, batch 64; warm-up steps, then timed steps (forward, backward and update), min and median.
 */
@Command(name = "charlstm", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "tokens/s of one char-LSTM training step (the peer script torch_lstm.py's model); also ./knetj bench train --model charlstm.")
public final class CharLSTMBenchmark implements Callable<Integer> {
    @Mixin BackendOptions backendOptions;
    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "seed of the weights and the random characters") long seed;
    @Option(names = "--batch", paramLabel = "N", defaultValue = "64", description = "sequences per step, 1 to 4096") int batch;
    @Option(names = "--seqlen", paramLabel = "N", defaultValue = "100", description = "characters per sequence, 1 to 10000") int seqlen;
    @Option(names = "--hidden", paramLabel = "N", defaultValue = "512", description = "LSTM hidden size, 1 to 4096") int hidden;
    @Option(names = "--embed", paramLabel = "N", defaultValue = "256", description = "embedding size, 1 to 4096") int embed;
    @Option(names = "--warmup", paramLabel = "N", defaultValue = "3", description = "untimed steps first, 0 to 1000") int warmup;
    @Option(names = "--steps", paramLabel = "N", defaultValue = "20", description = "timed steps, 1 to 10000") int steps;

    public static void main(String[] args) {
        String[] argv = new String[args.length + 2];
        argv[0] = "bench";
        argv[1] = "charlstm";
        System.arraycopy(args, 0, argv, 2, args.length);
        System.exit(io.github.knetj.examples.Main.run(argv, System.out, System.err));
    }

    /** Parses argv as the options of the benchmark and runs it (tests); bad options are IllegalArgumentExceptions. */
    public static int run(String[] argv) {
        CharLSTMBenchmark c = new CharLSTMBenchmark();
        try {
            new CommandLine(c).parseArgs(argv);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return c.call();
    }

    @Override public Integer call() {
        Checked.range("--batch", batch, 1, 4096);
        Checked.range("--seqlen", seqlen, 1, 10_000);
        Checked.range("--hidden", hidden, 1, 4096);
        Checked.range("--embed", embed, 1, 4096);
        Checked.range("--warmup", warmup, 0, 1000);
        Checked.range("--steps", steps, 1, 10_000);
        Backend backend = backendOptions.apply();
        Init.seed(seed);
        int vocab = 256;
        LSTM lstm = new LSTM(vocab, hidden, RNNConfig.defaults().embed(embed));
        Linear out = new Linear(hidden, vocab);
        Optimizer adam = Optimizers.adam(1e-3);
        List<Param> params = Params.of(List.of(lstm, out));
        SplittableRandom rng = new SplittableRandom(seed);
        double[] ids = new double[batch * seqlen];
        int[] targets = new int[batch * seqlen];
        for (int i = 0; i < ids.length; i++) { ids[i] = rng.nextInt(vocab); targets[i] = rng.nextInt(vocab); }
        Value input = Ops.array(ids, batch, seqlen);
        System.err.printf("char-LSTM step on %s (%s): %s, %s, batch %d x %d%n", backend.name(), backend.device(), lstm, out, batch, seqlen);

        double[] times = new double[steps];
        double loss = 0;
        for (int s = -warmup; s < steps; s++) {
            long start = System.nanoTime();
            loss = RnnSetup.step(() -> NNOps.crossEntropy(out.apply(Ops.reshape(lstm.forward(input).y(), batch * seqlen, hidden)), targets), adam, params, null, s + warmup + 1);
            double t = RnnSetup.seconds(start);
            if (s >= 0) times[s] = t;
            System.err.printf("%s step %d: %.3f s, loss %.4f%n", s < 0 ? "warm-up" : "timed", s < 0 ? s + warmup + 1 : s + 1, t, loss);
        }
        double[] sorted = times.clone();
        Arrays.sort(sorted);
        double median = steps % 2 == 1 ? sorted[steps / 2] : (sorted[steps / 2 - 1] + sorted[steps / 2]) / 2;
        int tokens = batch * seqlen;
        double flopsPerToken = 2.0 * (4.0 * hidden * (embed + hidden) + (double) vocab * hidden);
        System.out.printf("char-LSTM on %s: step median %.3f s (min %.3f), %.0f tokens/s (best %.0f)%n",
                backend.name(), median, sorted[0], tokens / median, tokens / sorted[0]);
        System.out.println(new Json().put("command", "bench charlstm").put("status", "ok").put("bench", "knetj_lstm").put("backend", backend.name()).put("device", backend.device())
                .put("threads", backendOptions.threadsLabel()).put("batch", batch).put("seqlen", seqlen)
                .put("hidden", hidden).put("timed_steps", steps).put("step_seconds_min", sorted[0]).put("step_seconds_median", median)
                .put("tokens_per_second_median", tokens / median).put("tokens_per_second_best", tokens / sorted[0])
                .put("est_gflops_median", 3 * flopsPerToken * tokens / median / 1e9).put("final_loss", loss));
        return 0;
    }
}
