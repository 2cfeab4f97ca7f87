package io.github.knetj.fuzz;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Tensor;
import io.github.knetj.data.Idx;
import io.github.knetj.io.SafeTensors;
import io.github.knetj.tck.BackendUnderTest;
import io.github.knetj.tck.property.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzing of the two readers of untrusted files, the safetensors reader and the idx reader, with {@link Mutations}
 * on the property harness: a fixed budget of cases per run (4,000 and 2,000; {@code -Dknetj.seed} replays a run), from
 * the committed corpus in {@code src/test/resources/fuzz}. The property: a reader either returns what the file
 * holds (every tensor's data as long as its shape says) or throws an {@link IOException} that names the file; never
 * another exception, never a hang, never an allocation larger than the file allows. Every case a fuzzing run found
 * failing is kept under {@code fuzz/<reader>/regressions} and checked on every run.
 */
class ReaderFuzzTest {
    static final int SAFETENSORS_BUDGET = 4_000, IDX_BUDGET = 2_000;

    @TempDir Path dir;
    private final Backend ref = BackendUnderTest.get("reference");

    static List<byte[]> corpus(String reader, boolean regressions) throws IOException {
        Path root = Path.of("src/test/resources/fuzz", reader, regressions ? "regressions" : "");
        List<byte[]> out = new ArrayList<>();
        if (!Files.isDirectory(root)) return out;
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) out.add(Files.readAllBytes(p));
        }
        return out;
    }

    /** The outcome of reading one input: "ok" or the message with the file name and numbers blanked. */
    private String readSafetensors(byte[] bytes) {
        Path f = write(bytes);
        try {
            SafeTensors.Contents c = SafeTensors.read(f, ref, null);
            for (Map.Entry<String, Tensor> e : c.tensors().entrySet())
                assertEquals(e.getValue().shape().size(), e.getValue().toDoubleArray().length, e.getKey());
            SafeTensors.metadata(f);
            return "ok";
        } catch (IOException e) {
            assertTrue(e.getMessage() != null && e.getMessage().startsWith(f.toString()), "the error names the file: " + e.getMessage());
            return template(e.getMessage(), f);
        }
    }

    private String readIdx(byte[] bytes) {
        Path f = write(bytes);
        try {
            Idx.Array a = Idx.read(f, 1 << 20);
            long n = 1;
            for (int d : a.dims()) n *= d;
            assertEquals(n, a.data().length, "the data is as long as the dimensions say");
            return "ok";
        } catch (IOException e) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(f.toString()), "the error names the file: " + e.getMessage());
            return template(e.getMessage(), f);
        }
    }

    /**
     * read's outcome; when it fails, the input is first written to target/fuzz-failures/&lt;reader&gt;/ so that it can be
     * committed to the regressions folder (the harness's shrinking writes each smaller failing case too).
     */
    private static String keep(String reader, byte[] bytes, java.util.function.Supplier<String> read) {
        try {
            return read.get();
        } catch (RuntimeException | AssertionError e) {
            try {
                Path out = Files.createDirectories(Path.of("target/fuzz-failures", reader));
                Files.write(out.resolve(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8) + ".bin"), bytes);
            } catch (IOException | java.security.NoSuchAlgorithmException ignored) {
                // keeping the case is a convenience; the failure itself is reported either way
            }
            throw e;
        }
    }

    private Path write(byte[] bytes) {
        try {
            return Files.write(dir.resolve("case.bin"), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String template(String message, Path f) { return message.replace(f.toString(), "F").replaceAll("\\d+", "N"); }

    @Test
    void theSafetensorsReaderSurvivesMutations() throws IOException {
        Mutations gen = new Mutations(corpus("safetensors", false), false);
        Set<String> outcomes = new HashSet<>();
        Property.forAll("safetensors reader on mutated files", SAFETENSORS_BUDGET, gen, bytes -> {
            if (outcomes.add(keep("safetensors", bytes, () -> readSafetensors(bytes)))) gen.learn(bytes);
        });
        System.out.println("safetensors fuzzing: " + SAFETENSORS_BUDGET + " cases, " + outcomes.size() + " distinct outcomes, corpus grew to " + gen.size());
        assertTrue(outcomes.size() > 20, "the mutations reach many checks: " + outcomes);
    }

    @Test
    void theIdxReaderSurvivesMutations() throws IOException {
        Mutations gen = new Mutations(corpus("idx", false), true);
        Set<String> outcomes = new HashSet<>();
        Property.forAll("idx reader on mutated files", IDX_BUDGET, gen, bytes -> {
            if (outcomes.add(keep("idx", bytes, () -> readIdx(bytes)))) gen.learn(bytes);
        });
        System.out.println("idx fuzzing: " + IDX_BUDGET + " cases, " + outcomes.size() + " distinct outcomes, corpus grew to " + gen.size());
        assertTrue(outcomes.size() > 8, "the mutations reach many checks: " + outcomes);
    }

    @Test
    void everyCorpusFileAndRegressionReadsOrFailsCleanly() throws IOException {
        for (byte[] b : corpus("safetensors", false)) assertEquals("ok", readSafetensors(b), "a seed of the corpus is valid");
        for (byte[] b : corpus("idx", false)) assertEquals("ok", readIdx(b), "a seed of the corpus is valid");
        for (byte[] b : corpus("safetensors", true)) readSafetensors(b);
        for (byte[] b : corpus("idx", true)) readIdx(b);
    }
}
