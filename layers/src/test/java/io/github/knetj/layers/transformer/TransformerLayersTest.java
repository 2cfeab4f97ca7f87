package io.github.knetj.layers.transformer;

import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AttentionOps;
import io.github.knetj.autograd.AutoGrad;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.autograd.Ops;
import io.github.knetj.layers.GELU;
import io.github.knetj.layers.Init;
import io.github.knetj.layers.Layers;
import io.github.knetj.layers.ReLU;
import io.github.knetj.tck.Tolerance;
import io.github.knetj.tck.conformance.Case;
import io.github.knetj.tck.conformance.Conformance;
import io.github.knetj.tck.conformance.NamedArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;

import static io.github.knetj.layers.LayerTesting.gradcheck;
import static io.github.knetj.layers.LayerTesting.input;
import static io.github.knetj.layers.LayerTesting.on;
import static org.junit.jupiter.api.Assertions.*;

/** The transformer layers: PyTorch's numbers through the layer classes, their gradients, the KV cache, and their text. */
class TransformerLayersTest {
    /**
     * The transformer_encoder_layer conformance cases through {@link TransformerEncoderLayer} itself: its parameters
     * set by their PyTorch names, so the names and layouts are checked along with the output and every gradient.
     */
    @ParameterizedTest(name = "{0}") @MethodSource("io.github.knetj.layers.LayerTesting#backends")
    void encoderLayerMatchesPyTorchsVectors(String backend) {
        for (DType dtype : new DType[]{DType.FLOAT64, DType.FLOAT32})
            on(backend, dtype, () -> {
                for (Case c : Conformance.load().cases()) {
                    if (!c.op().equals("transformer_encoder_layer")) continue;
                    int e = c.input("x").shape().dim(2), ff = c.attrs().getInt("dim_feedforward");
                    TransformerEncoderLayer layer = new TransformerEncoderLayer(e, c.attrs().getInt("num_heads"), ff, 0,
                            c.attrs().getString("activation").equals("gelu") ? new GELU() : new ReLU(), c.attrs().getBoolean("norm_first"));
                    Map<String, Param> named = StateDict.named(layer);
                    for (NamedArray a : c.inputs()) if (named.containsKey(a.name())) named.get(a.name()).set(a.on(Defaults.backend(), dtype));
                    assertEquals(c.inputs().size() - 1, named.size(), "every parameter of the case has its PyTorch name: " + named.keySet());
                    Param x = new Param(c.input("x").on(Defaults.backend(), dtype));
                    Value up = new Value(c.upstream().get(0).on(Defaults.backend(), dtype));
                    Value[] y = new Value[1];
                    AutoGrad.Tape tape = AutoGrad.diff(() -> Ops.sum(Ops.mul(y[0] = layer.apply(x), up)));
                    String where = c.name() + " on " + backend + " in " + dtype;
                    Tolerance.of(dtype, false).check(where + ": y", c.outputs().get(0).shape(), c.outputs().get(0).data(), y[0].data());
                    for (NamedArray g : c.grads()) {
                        Value p = g.name().equals("x") ? x : named.get(g.name());
                        Tolerance.of(dtype, true).check(where + ": gradient of " + g.name(), g.shape(), g.data(), tape.grad(p).data());
                    }
                }
            });
    }

    @ParameterizedTest(name = "{0}") @MethodSource("io.github.knetj.layers.LayerTesting#backends")
    void gradients(String backend) {
        on(backend, DType.FLOAT64, () -> {
            Param x = input(2, 3, 4), memory = input(2, 2, 4);
            MultiheadAttention mha = new MultiheadAttention(4, 2);
            Value causal = AttentionOps.causalMask(3, 3, x);
            gradcheck(mha + " causal", () -> mha.apply(x, causal), mha, Map.of("x", x));
            Value padding = AttentionOps.keyPaddingMask(new int[]{0, 1, 0, 0}, 2, 2, x);
            gradcheck(mha + " cross, padded, weights", () -> {
                AttentionOps.Attended a = mha.attend(x, memory, memory, padding, true);
                return Ops.add(Ops.sum(a.y()), Ops.sum(Ops.mul(a.weights(), a.weights())));
            }, mha, Map.of("x", x, "memory", memory));
            for (boolean pre : new boolean[]{true, false}) {
                TransformerEncoderLayer enc = new TransformerEncoderLayer(4, 2, 6, 0, pre ? new GELU() : new ReLU(), pre);
                gradcheck(enc.toString(), () -> enc.apply(x, causal), enc, Map.of("x", x));
                TransformerDecoderLayer dec = new TransformerDecoderLayer(4, 2, 6, 0, new GELU(), pre);
                gradcheck(dec.toString(), () -> dec.apply(x, memory, causal, null), dec, Map.of("x", x, "memory", memory));
            }
            PositionEmbedding pos = new PositionEmbedding(5, 4);
            gradcheck(pos.toString(), () -> Ops.square(pos.apply(x, 2)), pos, Map.of("x", x));
            io.github.knetj.layers.Embed embed = new io.github.knetj.layers.Embed(5, 4);
            TiedOutput tied = new TiedOutput(embed);
            Param rows = input(3, 4);
            gradcheck(tied.toString(), () -> Ops.add(Ops.sum(Ops.square(tied.apply(rows))), Ops.sum(embed.apply(new int[]{1, 4}))), tied, Map.of("x", rows));
            SinusoidalPosition sin = new SinusoidalPosition(4);
            gradcheck(sin.toString(), () -> Ops.square(sin.apply(x, 1)), sin, Map.of("x", x));
        });
    }

    @Test
    void cachedAttentionGivesTheRowsOfCausalAttention() {
        on("reference", DType.FLOAT64, () -> {
            TransformerEncoderLayer layer = new TransformerEncoderLayer(8, 2, 16, 0, new GELU(), true);
            Value x = input(2, 6, 8);
            Value full = layer.apply(x, AttentionOps.causalMask(6, 6, x));
            KVCache cache = new KVCache();
            Value first = layer.applyCached(Ops.slice(x, 1, 0, 2), cache);   // a prompt of two positions, then one at a time
            assertArrayEquals(Ops.slice(full, 1, 0, 2).data().toDoubleArray(), first.data().toDoubleArray(), 1e-12);
            for (int t = 2; t < 6; t++) {
                Value step = layer.applyCached(Ops.slice(x, 1, t, t + 1), cache);
                assertArrayEquals(Ops.slice(full, 1, t, t + 1).data().toDoubleArray(), step.data().toDoubleArray(), 1e-12, "position " + t);
            }
            assertEquals(6, cache.length());
            assertEquals("KVCache(6 positions)", cache.toString());
        });
    }

    @Test
    void masksWeightsAndDropout() {
        on("reference", DType.FLOAT64, () -> {
            MultiheadAttention mha = new MultiheadAttention(4, 2, 0.5);
            Value x = input(1, 3, 4);
            AttentionOps.Attended a = mha.attend(x, x, x, AttentionOps.keyPaddingMask(new int[]{0, 0, 1}, 1, 3, x), true);
            double[] w = a.weights().data().toDoubleArray();
            assertEquals(Shape.of(1, 3, 3), a.weights().shape());
            for (int i = 0; i < 3; i++) {
                assertEquals(0, w[i * 3 + 2], "the padded key gets no weight");
                assertEquals(1, w[i * 3] + w[i * 3 + 1], 1e-12, "each query's weights sum to 1");
            }
            double[] eval = mha.apply(x).data().toDoubleArray();
            Layers.setTraining(mha, true);
            assertFalse(java.util.Arrays.equals(eval, mha.apply(x).data().toDoubleArray()), "attention dropout acts while training");
            Layers.setTraining(mha, false);
            assertArrayEquals(eval, mha.apply(x).data().toDoubleArray(), 0);
        });
    }

    @Test
    void textAndErrors() {
        on("reference", DType.FLOAT64, () -> {
            assertEquals("MultiheadAttention(64, heads=4)", new MultiheadAttention(64, 4).toString());
            assertEquals("TransformerEncoderLayer(64, heads=4, ff=256, dropout=0.1, gelu, pre-LN)", new TransformerEncoderLayer(64, 4, 256, 0.1, new GELU(), true).toString());
            assertEquals("TransformerDecoderLayer(64, heads=4, ff=256, dropout=0.1, relu, post-LN)", new TransformerDecoderLayer(64, 4, 256, 0.1, new ReLU(), false).toString());
            assertEquals("Transformer(encoder=2, decoder=1, 8, heads=2)", new Transformer(8, 2, 2, 1, 16, 0, new ReLU(), false).toString());
            assertEquals("PositionEmbedding(64 => 128)", new PositionEmbedding(64, 128).toString());
            assertEquals("SinusoidalPosition(128)", new SinusoidalPosition(128).toString());
            assertEquals("TiedOutput(64 => 65, tied to Embed(65 => 64))", new TiedOutput(new io.github.knetj.layers.Embed(65, 64)).toString());
            String m = assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(6, 4)).getMessage();
            assertTrue(m.contains("6") && m.contains("4 heads"), m);
            m = assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(4, 2).apply(input(1, 3, 4), AttentionOps.causalMask(2, 2, input(1)))).getMessage();
            assertTrue(m.contains("does not broadcast") && m.contains("[2, 2]"), m);
            m = assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(4, 2).attend(input(1, 3, 4), input(1, 2, 4), input(1, 3, 4), null, false)).getMessage();
            assertTrue(m.contains("key and value (B, Tk, E)") && m.contains("key [1, 2, 4], value [1, 3, 4]"), m);
            m = assertThrows(IllegalArgumentException.class, () -> AttentionOps.heads(input(1, 3), input(1, 3, 4), input(1, 3, 4), AttentionOps.Options.of(2, null))).getMessage();
            assertTrue(m.contains("expected q (B, Tq, E)") && m.contains("q [1, 3]"), m);
            m = assertThrows(IllegalArgumentException.class, () -> new PositionEmbedding(4, 8).apply(input(1, 3, 8), 2)).getMessage();
            assertTrue(m.contains("offset + T ≤ 4"), m);
        });
    }

    @Test
    void sinusoidalPositionsFollowTheFormula() {
        double[] pe = new SinusoidalPosition(4).table(3, 1);
        assertArrayEquals(new double[]{Math.sin(3), Math.cos(3), Math.sin(3 / 100.0), Math.cos(3 / 100.0)}, pe, 1e-15);
    }

    @Test
    void theTransformerNamesItsPartsAsPyTorch() {
        on("reference", DType.FLOAT32, () -> {
            Init.seed(3);
            var names = StateDict.named(new Transformer(8, 2, 1, 1, 16, 0, new ReLU(), false)).keySet();
            for (String n : new String[]{"encoder.layers.0.self_attn.in_proj_weight", "encoder.layers.0.self_attn.out_proj.bias", "encoder.norm.weight",
                    "decoder.layers.0.multihead_attn.in_proj_bias", "decoder.layers.0.norm3.bias", "decoder.layers.0.linear2.weight", "decoder.norm.bias"})
                assertTrue(names.contains(n), n + " in " + names);
            assertEquals(12 + 18 + 4, names.size(), "torch.nn.Transformer(8, 2, 1, 1, 16) has 34 tensors in its state_dict");
        });
    }
}
