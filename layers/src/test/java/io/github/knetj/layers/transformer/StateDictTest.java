package io.github.knetj.layers.transformer;

import io.github.knetj.api.DType;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AttentionOps;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.io.SafeTensors;
import io.github.knetj.layers.GELU;
import io.github.knetj.layers.ReLU;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

import static io.github.knetj.layers.LayerTesting.on;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A torch.nn.TransformerEncoderLayer saved by PyTorch (scripts/make-transformer-fixture.py; its state_dict, and an
 * input with the layer's output in eval mode) loads into {@link TransformerEncoderLayer} by name and gives PyTorch's
 * output to 1e-6 in float32; so does a decoder layer, with cross-attention to a memory and a causal target mask.
 */
class StateDictTest {
    @TempDir Path dir;

    @ParameterizedTest(name = "{0}") @ValueSource(strings = {"pre-gelu", "post-relu"})
    void aPyTorchSavedEncoderLayerLoadsAndMatches(String name) throws Exception {
        on("cpu", DType.FLOAT32, () -> {
            try {
                boolean pre = name.startsWith("pre");
                TransformerEncoderLayer layer = new TransformerEncoderLayer(16, 4, 32, 0.1, pre ? new GELU() : new ReLU(), pre);
                StateDict.load(layer, fixture(name + ".safetensors"));
                Map<String, Tensor> io = SafeTensors.load(fixture(name + "-io.safetensors"), Defaults.backend(), DType.FLOAT32);
                double[] expected = io.get("y").toDoubleArray(), actual = layer.apply(new Value(io.get("x"))).data().toDoubleArray();
                double worst = 0;
                for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
                assertTrue(worst <= 1e-6, name + ": largest difference from PyTorch " + worst);

                // And back: what StateDict.save writes is what was loaded, under the same names.
                Path out = dir.resolve(name + ".safetensors");
                StateDict.save(layer, out);
                Map<String, Tensor> saved = SafeTensors.load(out, Defaults.backend(), DType.FLOAT32), original = SafeTensors.load(fixture(name + ".safetensors"), Defaults.backend(), DType.FLOAT32);
                assertEquals(original.keySet(), saved.keySet());
                original.forEach((k, t) -> assertArrayEquals(t.toDoubleArray(), saved.get(k).toDoubleArray(), 0, k));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @ParameterizedTest(name = "{0}") @ValueSource(strings = {"pre-gelu", "post-relu"})
    void aPyTorchSavedDecoderLayerLoadsAndMatches(String name) {
        on("cpu", DType.FLOAT32, () -> {
            try {
                boolean pre = name.startsWith("pre");
                TransformerDecoderLayer layer = new TransformerDecoderLayer(16, 4, 32, 0.1, pre ? new GELU() : new ReLU(), pre);
                StateDict.load(layer, fixture("decoder-" + name + ".safetensors"));
                Map<String, Tensor> data = SafeTensors.load(fixture("decoder-" + name + "-io.safetensors"), Defaults.backend(), DType.FLOAT32);
                Value x = new Value(data.get("x"));
                double[] expected = data.get("y").toDoubleArray();
                double[] actual = layer.apply(x, new Value(data.get("memory")), AttentionOps.causalMask(5, 5, x), null).data().toDoubleArray();
                double worst = 0;
                for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
                assertTrue(worst <= 1e-6, "decoder " + name + ": largest difference from PyTorch " + worst);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @org.junit.jupiter.api.Test
    void aMismatchNamesWhatDiffers() {
        on("cpu", DType.FLOAT32, () -> {
            TransformerEncoderLayer wrong = new TransformerEncoderLayer(16, 4, 24, 0, new GELU(), true);
            String m = assertThrows(IllegalArgumentException.class, () -> StateDict.load(wrong, fixture("pre-gelu.safetensors"))).getMessage();
            assertTrue(m.contains("'linear1.weight' is [32, 16] in the file, [24, 16] in the model"), m);
        });
    }

    private static Path fixture(String file) {
        try {
            return Path.of(StateDictTest.class.getResource(file).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
