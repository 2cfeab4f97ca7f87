package io.github.knetj.examples.gpt;

import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.layers.Init;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The character GPT: its size against the PyTorch peer's, and sampling with the KV cache against recomputing the window. */
class GptTest {
    @AfterEach
    void restore() { Defaults.dtype(DType.FLOAT32); }

    @Test
    void cachedAndUncachedSamplingGiveTheSame500Characters() {
        Defaults.backend(Backends.get("cpu"));
        Defaults.dtype(DType.FLOAT64);
        Init.seed(7);
        String alphabet = "\n abcdefghij";
        Gpt model = new Gpt(alphabet.length(), 16, 2, 2, 8);   // a window of 16, so 500 characters slide it many times
        String cached = GptSampler.sample(model, alphabet, "abc", 500, 1.0, 0, 11, true);
        String uncached = GptSampler.sample(model, alphabet, "abc", 500, 1.0, 0, 11, false);
        assertEquals(503, cached.length());
        assertEquals(uncached, cached);
        assertEquals(GptSampler.sample(model, alphabet, "abc", 500, 0.8, 3, 5, false), GptSampler.sample(model, alphabet, "abc", 500, 0.8, 3, 5, true), "with top-k and a temperature too");
    }

    @Test
    void theModelHasThePeersParameterCount() {
        Defaults.backend(Backends.get("cpu"));
        Init.seed(1);
        // torch_gpt.py's GPT(66, 64, 4, 4, 128) on the King James alphabet: sum(p.numel() for p in model.parameters())
        assertEquals(818498, new Gpt(66, 64, 4, 4, 128).size());
        assertEquals(818498 - 66 * 128, new Gpt(66, 64, 4, 4, 128, true, new io.github.knetj.layers.GELU()).size(), "a tied head shares the embedding table");
    }

    @Test
    void topKDrawsOnlyTheLargestScores() {
        SplittableRandom rng = new SplittableRandom(3);
        double[] scores = {0.1, 5, -2, 4.9, 0};
        for (int i = 0; i < 200; i++) {
            int k = GptSampler.draw(scores, 1.0, 2, rng);
            assertTrue(k == 1 || k == 3, "drew " + k);
        }
        String m = assertThrows(IllegalArgumentException.class, () -> GptSampler.encode("ab", "abc")).getMessage();
        assertTrue(m.contains("[c]") && m.contains("alphabet"), m);
    }
}
