package io.github.knetj.examples.cli;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Backends;
import io.github.knetj.api.Tensor;
import io.github.knetj.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files the CLI writes and reads on the good path: --save leaves exactly its file, and a weights-only file loads. */
class CliFilesTest {
    static final List<String> TINY = List.of("train", "seq2seq", "--backend", "reference", "--epochs", "1", "--steps", "1", "--batch", "2",
            "--hidden", "4", "--embed", "3", "--test", "4", "--maxlen", "3");

    private static List<String> with(String... more) {
        List<String> l = new java.util.ArrayList<>(TINY);
        l.addAll(List.of(more));
        return l;
    }

    @Test
    void aWeightsOnlyFileAsPyTorchWritesItLoadsWithAFreshOptimizer(@TempDir Path dir) throws Exception {
        Path saved = dir.resolve("s2s.safetensors");
        CliCatalogueTest.Run first = CliCatalogueTest.run(with("--save", saved.toString()));
        assertEquals(0, first.code(), String.join("\n", first.err()));
        try (var s = Files.list(dir)) { assertEquals(List.of(saved), s.toList(), "the file and nothing else, no temporary file"); }
        assertTrue(first.last().startsWith("{\"command\":\"train seq2seq\",\"status\":\"ok\""), first.last());

        // What safetensors.torch.save_file writes: the tensors alone, no metadata, no optimizer state.
        Backend ref = Backends.get("reference");
        Map<String, Tensor> weights = new LinkedHashMap<>();
        SafeTensors.load(saved, ref, null).forEach((k, v) -> { if (!k.startsWith("optim/")) weights.put(k, v); });
        Path plain = dir.resolve("weights.safetensors");
        SafeTensors.save(plain, weights, Map.of());
        CliCatalogueTest.Run second = CliCatalogueTest.run(with("--load", plain.toString()));
        assertEquals(0, second.code(), String.join("\n", second.err()));
        assertTrue(second.err().stream().anyMatch(l -> l.contains("loaded " + plain + " (weights only: the optimizer starts afresh)")), String.join("\n", second.err()));

        // The full file still restores the optimizer's state, and a mismatched optimizer is refused.
        assertEquals(0, CliCatalogueTest.run(with("--load", saved.toString())).code());
        CliCatalogueTest.Run wrong = CliCatalogueTest.run(with("--load", saved.toString(), "--optimizer", "sgd"));
        assertEquals(2, wrong.code());
        assertTrue(wrong.err().stream().anyMatch(l -> l.contains("the state of optimizer 'adam', not of 'sgd'")), String.join("\n", wrong.err()));
    }
}
