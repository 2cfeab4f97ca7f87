package io.github.knetj.examples.rnn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recurrent examples run end to end at toy sizes and end with their JSON line (learning itself is checked by running them). */
class RnnExamplesTest {
    /** The stdout lines of a run, which must exit 0. */
    private static List<String> stdout(Function<String[], Integer> main, String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            assertEquals(0, main.apply(args));
        } finally {
            System.setOut(old);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static String last(List<String> lines) { return lines.get(lines.size() - 1); }

    @Test
    void seq2seqEndsWithItsJsonLine() {
        List<String> out = stdout(Seq2Seq::run, "--backend", "reference", "--dtype", "float64", "--epochs", "1", "--steps", "2",
                "--batch", "4", "--hidden", "6", "--embed", "4", "--test", "8", "--maxlen", "4");
        assertTrue(last(out).startsWith("{\"command\":\"train seq2seq\",\"status\":\"ok\",\"model\":\"seq2seq\",\"backend\":\"reference\",\"epochs\":1,"), last(out));
        assertTrue(last(out).contains("\"exact_match\":"), last(out));
        assertTrue(out.stream().anyMatch(l -> l.startsWith("held-out exact match by input length: 2: ")), String.join("\n", out));
    }

    @Test
    void seq2seqSavesAndLoads(@TempDir Path dir) {
        String file = dir.resolve("s2s.knetj").toString();
        String[] tiny = {"--backend", "reference", "--epochs", "1", "--steps", "1", "--batch", "2", "--hidden", "4", "--embed", "3", "--test", "4", "--maxlen", "3"};
        stdout(Seq2Seq::run, concat(tiny, "--save", file));
        assertTrue(Files.exists(Path.of(file)), file);
        List<String> out = stdout(Seq2Seq::run, concat(tiny, "--load", file, "--optimizer", "adam"));
        assertTrue(last(out).startsWith("{\"command\":\"train seq2seq\",\"status\":\"ok\",\"model\":\"seq2seq\""), last(out));
        var e = assertThrows(IllegalArgumentException.class, () -> Seq2Seq.run(concat(tiny, "--load", dir.resolve("missing").toString())));
        assertTrue(e.getMessage().contains("--load " + dir.resolve("missing") + ": no such file"), e.getMessage());
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void charlmTrainsOnAGivenTextAndSamples(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("t.txt"), "abcab cabca bcabc abcab cabca bcabc\n".repeat(4));
        List<String> out = stdout(CharLM::run, "--backend", "reference", "--dtype", "float64", "--epochs", "2", "--batch", "2",
                "--seqlen", "8", "--hidden", "6", "--embed", "4", "--sample", "10", "--text", text.toString());
        assertTrue(last(out).startsWith("{\"command\":\"train charlm\",\"status\":\"ok\",\"model\":\"charlm\",\"backend\":\"reference\",\"text\":\"" + text + "\",\"epochs\":2,"), last(out));
        assertTrue(last(out).matches(".*\"perplexity\":\\[[0-9.]+,[0-9.]+\\].*"), last(out));
        assertTrue(out.get(0).startsWith("abcab cabca bcabc ab"), "the sample starts with the text's first 20 characters: " + out.get(0));
    }

    @Test
    void charLstmBenchmarkReportsTokensPerSecond() {
        List<String> out = stdout(CharLSTMBenchmark::run, "--backend", "reference", "--batch", "2", "--seqlen", "3", "--hidden", "4",
                "--embed", "4", "--warmup", "1", "--steps", "2");
        assertTrue(last(out).startsWith("{\"command\":\"bench charlstm\",\"status\":\"ok\",\"bench\":\"knetj_lstm\",\"backend\":\"reference\""), last(out));
        assertTrue(last(out).contains("\"tokens_per_second_median\":"), last(out));
    }

    @Test
    void badOptionsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Seq2Seq.run(new String[]{"--minlen", "5", "--maxlen", "3", "--backend", "reference"}));
        assertTrue(e.getMessage().contains("--minlen <= --maxlen"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CharLM.run(new String[]{"--colour", "red"}));
        assertTrue(e.getMessage().contains("'--colour'"), e.getMessage());
    }
}
