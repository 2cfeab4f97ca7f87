package io.github.knetj.docs;

import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AttentionOps;
import io.github.knetj.autograd.AttentionOps.Attended;
import io.github.knetj.autograd.AttentionOps.Options;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.autograd.NNOps;
import io.github.knetj.autograd.check.GradCheck;
import io.github.knetj.examples.gpt.Gpt;
import io.github.knetj.examples.gpt.GptSampler;
import io.github.knetj.layers.GELU;
import io.github.knetj.layers.Init;
import io.github.knetj.layers.Params;
import io.github.knetj.layers.transformer.StateDict;
import io.github.knetj.layers.transformer.TransformerEncoderLayer;
import io.github.knetj.optim.Optimizer;
import io.github.knetj.optim.ParamGroups;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.knetj.autograd.AutoGrad.*;
import static io.github.knetj.autograd.AutoGrad.*;
import static io.github.knetj.autograd.Ops.*;
import static org.junit.jupiter.api.Assertions.*;

/** Chapter 12, attention and a GPT: the samples of docs/12-attention-and-a-gpt.md, run and checked. */
class Chapter12Test {
    @AfterEach
    void restore() { Defaults.dtype(DType.FLOAT32); }

    private static Value normal(long seed, int... dims) {
        return value(Defaults.backend().random().normal(Shape.of(dims), Defaults.dtype(), 0, 1, seed));
    }

    @Test
    void scaledDotProductAndHeads() {
        Defaults.dtype(DType.FLOAT64);
        // tag::sdpa[]
        Value q = normal(1, 1, 3, 4), k = normal(2, 1, 5, 4), v = normal(3, 1, 5, 4);   // (B, T, E): 3 queries, 5 keys
        Value weights = NNOps.softmax(scale(matmul(q, k, false, true), 1 / Math.sqrt(4)), -1);   // (1, 3, 5), rows sum to 1
        Value y = matmul(weights, v);                                                    // (1, 3, 4): a weighted mean of values
        // end::sdpa[]
        // tag::heads[]
        Attended one = AttentionOps.heads(q, k, v, Options.of(1, null));   // the same, as the library computes it
        Attended two = AttentionOps.heads(q, k, v, Options.of(2, null));   // two heads, each over 2 of the 4 features
        System.out.println(two.y().shape());                               // [1, 3, 4]: the heads joined back
        // end::heads[]
        assertArrayEquals(y.data().toDoubleArray(), one.y().data().toDoubleArray(), 1e-12);
        assertEquals(Shape.of(1, 3, 4), two.y().shape());
        assertFalse(java.util.Arrays.equals(one.y().data().toDoubleArray(), two.y().data().toDoubleArray()));
    }

    @Test
    void masks() {
        Defaults.dtype(DType.FLOAT64);
        Value q = normal(1, 2, 3, 4), k = normal(2, 2, 3, 4), v = normal(3, 2, 3, 4);
        // tag::masks[]
        Value causal = AttentionOps.causalMask(3, 3, q);                        // (3, 3): −∞ above the diagonal
        Value padded = AttentionOps.keyPaddingMask(new int[]{0, 0, 0, 0, 0, 1}, 2, 3, q);   // the second sequence's last key is padding
        Attended a = AttentionOps.heads(q, k, v, new Options(2, add(causal, padded), 0, 0, false, true));
        System.out.println(a.weights());   // (2, 3, 3), averaged over the heads: zero above the diagonal and at the padded key
        // end::masks[]
        double[] w = a.weights().data().toDoubleArray();
        for (int b = 0; b < 2; b++)
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++)
                    if (j > i || (b == 1 && j == 2)) assertEquals(0, w[b * 9 + i * 3 + j], "b=" + b + " i=" + i + " j=" + j);
    }

    @Test
    void aBlockAndItsGradient() {
        Defaults.dtype(DType.FLOAT64);
        Init.seed(1);
        // tag::block[]
        TransformerEncoderLayer block = new TransformerEncoderLayer(8, 2, 32, 0.0, new GELU(), true);   // pre-LN, as GPT-2
        Value x = normal(4, 2, 5, 8);
        Value y = block.apply(x, AttentionOps.causalMask(5, 5, x));
        System.out.println(block + " " + y.shape());   // ... [2, 5, 8]
        System.out.println(StateDict.named(block).keySet());   // [self_attn.in_proj_weight, ..., norm2.bias]: PyTorch's names
        GradCheck.Report r = GradCheck.check(() -> sum(square(block.apply(x, AttentionOps.causalMask(5, 5, x)))), block.params());
        System.out.print(r);
        // end::block[]
        assertTrue(r.passed(), r.toString());
        assertEquals("self_attn.in_proj_weight", StateDict.named(block).keySet().iterator().next());
    }

    @Test
    void aTinyGptLearnsAndSamples() {
        Init.seed(1);
        // tag::model[]
        String text = "abcabcabdabcabcabd".repeat(20), alphabet = "abcd";
        int[] ids = text.chars().map(c -> alphabet.indexOf(c)).toArray();
        Gpt gpt = new Gpt(alphabet.length(), 8, 1, 2, 16);   // vocab 4, a window of 8, 1 block, 2 heads, embedding 16
        Optimizer opt = ParamGroups.decayMatricesOnly(1e-2, 0.9, 0.99, 0.1).clipNorm(1.0);
        int[] x = java.util.Arrays.copyOfRange(ids, 0, 8 * 4), y = java.util.Arrays.copyOfRange(ids, 1, 8 * 4 + 1);   // 4 windows, shifted by one
        double first = 0, last = 0;
        for (int step = 0; step < 60; step++) {
            Tape t = diff(() -> NNOps.crossEntropy(gpt.logits(x, 4, 8), y));
            if (step == 0) first = t.value();
            last = t.value();
            opt.step(t);
        }
        System.out.printf("loss %.3f -> %.3f%n", first, last);   // from about log 4 = 1.39 to near 0
        // end::model[]
        // tag::sampling[]
        String cached = GptSampler.sample(gpt, alphabet, "ab", 40, 0.5, 0, 3, true);    // each character attends over the KV cache
        String recomputed = GptSampler.sample(gpt, alphabet, "ab", 40, 0.5, 0, 3, false);
        System.out.println(cached);   // abcabcabd...: the pattern it learned
        // end::sampling[]
        assertTrue(first > 1 && last < 0.3, first + " -> " + last);
        assertEquals(recomputed, cached);
        assertTrue(cached.startsWith("abcab"), cached);
        assertEquals(Params.of(gpt).size(), StateDict.named(gpt).size());
    }
}
