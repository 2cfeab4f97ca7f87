package io.github.knetj.examples.rnn;

import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Ops;
import io.github.knetj.layers.Linear;
import io.github.knetj.layers.rnn.LSTM;
import io.github.knetj.layers.rnn.RNNOutput;

import java.util.SplittableRandom;

/**
 * Text from a character model: the LSTM reads a prefix, then each next character is drawn from
 * softmax(scores / temperature) and fed back, carrying the hidden and cell states from step to step.
 */
final class Sampler {
    private Sampler() {}

    /** The prefix followed by {@code length} sampled characters; the prefix must use only the alphabet's characters. */
    static String sample(LSTM lstm, Linear output, String alphabet, String prefix, int length, double temperature, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] ids = new int[prefix.length()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = alphabet.indexOf(prefix.charAt(i));
            if (ids[i] < 0) throw new IllegalArgumentException("sample: the prefix character '" + prefix.charAt(i) + "' is not in the text's alphabet");
        }
        RNNOutput state = lstm.forward(new int[][]{ids});
        StringBuilder text = new StringBuilder(prefix);
        for (int i = 0; i < length; i++) {
            Value last = Ops.slice(state.y(), 1, state.y().shape().dim(1) - 1, state.y().shape().dim(1));
            double[] scores = output.apply(Ops.reshape(last, 1, -1)).data().toDoubleArray();
            int next = draw(scores, temperature, rng);
            text.append(alphabet.charAt(next));
            state = lstm.forward(Ops.array(new double[]{next}, 1, 1), state.hidden(), state.memory());
        }
        return text.toString();
    }

    /** An index drawn with probability softmax(scores / temperature). */
    private static int draw(double[] scores, double temperature, SplittableRandom rng) {
        double max = Double.NEGATIVE_INFINITY, total = 0;
        for (double s : scores) max = Math.max(max, s);
        double[] p = new double[scores.length];
        for (int i = 0; i < p.length; i++) total += p[i] = Math.exp((scores[i] - max) / temperature);
        double u = rng.nextDouble() * total;
        for (int i = 0; i < p.length; i++) if ((u -= p[i]) <= 0) return i;
        return p.length - 1;
    }
}
