package io.github.knetj.io;

import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.layers.BatchNorm;
import io.github.knetj.layers.Chain;
import io.github.knetj.layers.Conv;
import io.github.knetj.layers.Dense;
import io.github.knetj.layers.Embed;
import io.github.knetj.layers.Init;
import io.github.knetj.layers.Linear;
import io.github.knetj.layers.rnn.LSTM;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PyTorch's state_dict names and shapes per layer type, a name map, integer counters, and clear errors. */
class TorchNamesTest {
    /** The backend the other tests of this JVM expect, put back after each test. */
    private final io.github.knetj.api.Backend before = Defaults.backend();

    @AfterEach
    void restoreDefaults() {
        Defaults.backend(before);
        Defaults.dtype(DType.FLOAT32);
    }

    @BeforeEach
    void setUp() {
        Defaults.backend(Backends.get("reference"));
        Defaults.dtype(DType.FLOAT32);
        Init.seed(1);
    }

    @Test
    void namesAndShapesAreTorchs() {
        Chain m = new Chain(new Conv(3, 3, 2, 4), new BatchNorm(4), new Dense(10, 5), new Embed(7, 3), new LSTM(3, 6));
        Map<String, Tensor> sd = TorchNames.stateDict(m);
        // Names and shapes as torch.nn.Conv2d(2, 4, 3), BatchNorm2d(4), Linear(10, 5), Embedding(7, 3), LSTM(3, 6) print them.
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "2.weight", "2.bias",
                "3.weight", "4.weight_ih_l0", "4.weight_hh_l0", "4.bias_ih_l0", "4.bias_hh_l0"), List.copyOf(sd.keySet()));
        assertEquals(Shape.of(4, 2, 3, 3), sd.get("0.weight").shape());
        assertEquals(Shape.of(4), sd.get("0.bias").shape());
        assertEquals(Shape.of(5, 10), sd.get("2.weight").shape());
        assertEquals(Shape.of(7, 3), sd.get("3.weight").shape());
        assertEquals(Shape.of(24, 3), sd.get("4.weight_ih_l0").shape());   // 4 gates of 6
        assertEquals(Shape.of(24, 6), sd.get("4.weight_hh_l0").shape());
    }

    @Test
    void saveWritesNumBatchesTrackedAsInt64AndLoadRestoresEveryTensor(@TempDir Path dir) throws IOException {
        Chain a = new Chain(new Conv(3, 3, 1, 2), new BatchNorm(2), new Linear(4, 3));
        Path f = dir.resolve("m.safetensors");
        TorchNames.save(f, a, TorchNames.renaming(Map.of("2.", "5.")));
        SafeTensors.Contents c = SafeTensors.read(f, Backends.get("reference"), null);
        assertEquals("I64", c.dtypes().get("1.num_batches_tracked"));
        assertEquals(Shape.of(), c.tensors().get("1.num_batches_tracked").shape());
        assertTrue(c.tensors().containsKey("5.weight") && !c.tensors().containsKey("2.weight"), c.tensors().keySet().toString());

        Init.seed(2);
        Chain b = new Chain(new Conv(3, 3, 1, 2), new BatchNorm(2), new Linear(4, 3));
        TorchNames.load(f, b, TorchNames.renaming(Map.of("5.", "2.")));
        Map<String, Tensor> want = TorchNames.stateDict(a), got = TorchNames.stateDict(b);
        for (String k : want.keySet()) assertArrayEquals(want.get(k).toFloatArray(), got.get(k).toFloatArray(), k);
        assertEquals(Shape.of(1, 2, 1, 1), ((Conv) b.get(0)).b().shape(), "the conv bias keeps KnetJ's shape");
    }

    @Test
    void aMismatchNamesWhatDiffersAndChangesNothing(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m.safetensors");
        TorchNames.save(f, new Chain(new Dense(4, 3), new Linear(3, 2)));
        Chain other = new Chain(new Dense(4, 3), new Linear(3, 5));
        float[] before = other.get(0) instanceof Dense d ? d.w().data().toFloatArray() : null;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TorchNames.load(f, other));
        assertTrue(e.getMessage().contains("'1.weight' has shape [2, 3] in the file but [5, 3] in the model"), e.getMessage());
        assertArrayEquals(before, ((Dense) other.get(0)).w().data().toFloatArray(), "nothing was loaded");
        IllegalArgumentException extra = assertThrows(IllegalArgumentException.class, () -> TorchNames.load(f, new Chain(new Dense(4, 3))));
        assertTrue(extra.getMessage().contains("names the model does not have: [1.bias, 1.weight]"), extra.getMessage());
    }

    @Test
    void renamingReplacesTheLongestPrefix() {
        var r = TorchNames.renaming(Map.of("1.", "2.", "1.1.", "9."));
        assertEquals("2.weight", r.apply("1.weight"));
        assertEquals("9.bias", r.apply("1.1.bias"));
        assertEquals("0.weight", r.apply("0.weight"));
    }
}
