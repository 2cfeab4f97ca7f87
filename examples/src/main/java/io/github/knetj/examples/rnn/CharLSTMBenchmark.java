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
import io.github.knetj.optim.Optimizer;
import io.github.knetj.optim.Optimizers;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * tokens/s of one char-LSTM training step, the model of the peer script {@code torch_lstm.py}: Embedding 256→256,
 * LSTM 512, Linear 512→256, softmax cross-entropy on the next character, Adam lr 0.001; random characters, sequence
 * 100, batch 64; warm-up steps, then timed steps (forward, backward and update), min and median.
 */
public final class CharLSTMBenchmark {
    private CharLSTMBenchmark() {}

    public static void main(String[] args) { System.exit(run(args)); }

    public static int run(String[] argv) {
        Args args = new Args(argv, Set.of()).allow(Set.of("backend", "threads", "dtype", "seed", "batch", "seqlen", "hidden", "embed", "warmup", "steps"));
        Backend backend = RnnSetup.apply(args);
        int batch = args.getInt("batch", 64), seqlen = args.getInt("seqlen", 100), hidden = args.getInt("hidden", 512);
        int embed = args.getInt("embed", 256), vocab = 256, warmup = args.getInt("warmup", 3), steps = args.getInt("steps", 20);
        LSTM lstm = new LSTM(vocab, hidden, RNNConfig.defaults().embed(embed));
        Linear out = new Linear(hidden, vocab);
        Optimizer adam = Optimizers.adam(1e-3);
        List<Param> params = Params.of(List.of(lstm, out));
        SplittableRandom rng = new SplittableRandom(args.getLong("seed", 1));
        double[] ids = new double[batch * seqlen];
        int[] targets = new int[batch * seqlen];
        for (int i = 0; i < ids.length; i++) { ids[i] = rng.nextInt(vocab); targets[i] = rng.nextInt(vocab); }
        Value input = Ops.array(ids, batch, seqlen);
        System.err.printf("char-LSTM step on %s (%s): %s, %s, batch %d x %d%n", backend.name(), backend.device(), lstm, out, batch, seqlen);

        double[] times = new double[steps];
        double loss = 0;
        for (int s = -warmup; s < steps; s++) {
            long start = System.nanoTime();
            loss = RnnSetup.step(() -> NNOps.crossEntropy(out.apply(Ops.reshape(lstm.forward(input).y(), batch * seqlen, hidden)), targets), adam, params);
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
        System.out.println(new Json().put("bench", "knetj_lstm").put("backend", backend.name()).put("device", backend.device())
                .put("threads", System.getProperty("knetj.threads", "default")).put("batch", batch).put("seqlen", seqlen)
                .put("hidden", hidden).put("timed_steps", steps).put("step_seconds_min", sorted[0]).put("step_seconds_median", median)
                .put("tokens_per_second_median", tokens / median).put("tokens_per_second_best", tokens / sorted[0])
                .put("est_gflops_median", 3 * flopsPerToken * tokens / median / 1e9).put("final_loss", loss));
        return 0;
    }
}
