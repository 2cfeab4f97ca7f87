package io.github.knetj.examples.gpt;

import io.github.knetj.layers.transformer.KVCache;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Text from a {@link Gpt}: each next character is drawn from softmax(scores/temperature) over the top-k scores
 * (k ≤ 0: all) and appended; the model sees the last {@code block} characters. With the KV cache each new
 * character attends over the cached keys and values of the ones before; once the text outgrows the window the
 * window slides, and since learned positions are absolute the caches are rebuilt from the window, which is exactly
 * what uncached sampling computes.
 */
public final class GptSampler {
    private GptSampler() {}

    /** The prompt's characters as indices of the alphabet, or an error naming the first unknown one. */
    static int[] encode(String alphabet, String text) {
        int[] ids = new int[text.length()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = alphabet.indexOf(text.charAt(i));
            if (ids[i] < 0) throw new IllegalArgumentException("gpt: the prompt character " + Arrays.toString(Character.toChars(text.charAt(i))) + " is not in the text's alphabet");
        }
        return ids;
    }

    /** The prompt followed by maxNew sampled characters, with the KV cache (cached) or recomputing the window for every character. */
    public static String sample(Gpt model, String alphabet, String prompt, int maxNew, double temperature, int topK, long seed, boolean cached) {
        if (prompt.isEmpty()) throw new IllegalArgumentException("gpt: the prompt must hold at least one character");
        if (!(temperature > 0)) throw new IllegalArgumentException("gpt: --temperature must be > 0, got " + temperature);
        SplittableRandom rng = new SplittableRandom(seed);
        List<Integer> ids = new ArrayList<>();
        for (int id : encode(alphabet, prompt)) ids.add(id);
        List<KVCache> caches = model.newCaches();
        int[] pending = window(ids, model.block());
        StringBuilder text = new StringBuilder(prompt);
        for (int n = 0; n < maxNew; n++) {
            double[] scores;
            if (cached) {
                if (caches.get(0).length() + pending.length > model.block()) {   // the window slides: rebuild the caches from it
                    caches.forEach(KVCache::clear);
                    pending = window(ids, model.block());
                }
                scores = lastRow(model.logitsCached(pending, 1, caches).data().toDoubleArray(), model.vocab());
            } else {
                int[] w = window(ids, model.block());
                scores = lastRow(model.logits(w, 1, w.length).data().toDoubleArray(), model.vocab());
            }
            int next = draw(scores, temperature, topK, rng);
            ids.add(next);
            pending = new int[]{next};
            text.append(alphabet.charAt(next));
        }
        return text.toString();
    }

    private static int[] window(List<Integer> ids, int block) {
        return ids.subList(Math.max(0, ids.size() - block), ids.size()).stream().mapToInt(Integer::intValue).toArray();
    }

    private static double[] lastRow(double[] all, int vocab) { return Arrays.copyOfRange(all, all.length - vocab, all.length); }

    /** An index drawn with probability softmax(scores/temperature) among the k largest scores. */
    static int draw(double[] scores, double temperature, int topK, SplittableRandom rng) {
        double cut = Double.NEGATIVE_INFINITY;
        if (topK > 0 && topK < scores.length) {
            double[] sorted = scores.clone();
            Arrays.sort(sorted);
            cut = sorted[sorted.length - topK];
        }
        double max = Double.NEGATIVE_INFINITY, total = 0;
        for (double s : scores) max = Math.max(max, s);
        double[] p = new double[scores.length];
        for (int i = 0; i < p.length; i++) total += p[i] = scores[i] < cut ? 0 : Math.exp((scores[i] - max) / temperature);
        double u = rng.nextDouble() * total;
        for (int i = 0; i < p.length; i++) if (p[i] > 0 && (u -= p[i]) <= 0) return i;
        for (int i = p.length - 1; ; i--) if (p[i] > 0) return i;
    }
}
