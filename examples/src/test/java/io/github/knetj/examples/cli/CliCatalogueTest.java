package io.github.knetj.examples.cli;

import io.github.knetj.examples.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every bad input of the catalogue, run through the CLI in this process, in a temporary folder: the exit code of its
 * kind, exactly one JSON line at the end of stdout with {@code command} and {@code "status":"error"}, one readable error
 * line on stderr holding what the input got wrong and no stack frame, an end within a time bound (no hang), and no file
 * left behind in the folder. The tally is printed at the end in the columns.
 */
class CliCatalogueTest {
    /** The longest any bad input may take: they must all fail before any real work. */
    static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir static Path dir;
    private static Set<String> before;

    @BeforeAll static void files() throws Exception {
        HostileFiles.make(dir);
        before = listing(dir);
    }

    static Stream<BadInput> catalogue() { return BadInputs.all().stream(); }

    /** What one run printed and returned. */
    record Run(int code, List<String> out, List<String> err) {
        String last() { return out.isEmpty() ? "" : out.get(out.size() - 1); }
    }

    /** Runs a command line in this process, capturing stdout and stderr; the time bound is enforced by the caller. */
    static Run run(List<String> argv) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code;
        try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8); PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
            System.setOut(po);
            System.setErr(pe);
            code = Main.run(argv.toArray(String[]::new), po, pe);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Run(code, o.toString(StandardCharsets.UTF_8).lines().toList(), e.toString(StandardCharsets.UTF_8).lines().toList());
    }

    /** The columns: where each bad input landed. Only "clear" passes. */
    enum Verdict { CLEAR, UNCLEAR, CRASH, STACK_TRACE, SILENTLY_WRONG, HANG, OOM }

    private static final java.util.Map<Verdict, AtomicInteger> TALLY = new java.util.concurrent.ConcurrentHashMap<>();

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void aBadInputIsOneClearErrorAndNothingElse(BadInput bad) throws IOException {
        List<String> argv = bad.argv().apply(dir);
        Run r;
        try {
            r = assertTimeoutPreemptively(BOUND, () -> run(argv), "no answer within " + BOUND);
        } catch (org.opentest4j.AssertionFailedError e) {
            throw count(Verdict.HANG, bad + ": " + e.getMessage());
        } catch (OutOfMemoryError e) {
            throw count(Verdict.OOM, bad + ": " + e);
        } catch (Throwable e) {
            throw count(Verdict.CRASH, bad + ": escaped the CLI: " + e);
        }
        String all = bad + "\nexit " + r.code() + "\nstdout:\n" + String.join("\n", r.out()) + "\nstderr:\n" + String.join("\n", r.err());
        Verdict v = verdict(bad, r);
        if (v == Verdict.CLEAR && !before.equals(listing(dir))) v = Verdict.SILENTLY_WRONG;   // a file left behind
        if (v != Verdict.CLEAR) throw count(v, all);
        TALLY.computeIfAbsent(Verdict.CLEAR, k -> new AtomicInteger()).incrementAndGet();
    }

    /** Where a run lands: the checks of the class comment, in the order a user would notice them. */
    static Verdict verdict(BadInput bad, Run r) {
        boolean json = r.last().startsWith("{\"command\":\"") && r.last().contains("\"status\":\"error\"")
                && r.out().stream().filter(l -> l.startsWith("{")).count() == 1;
        if (r.code() == 0) return Verdict.SILENTLY_WRONG;
        if (r.err().stream().anyMatch(l -> l.contains("OutOfMemoryError"))) return Verdict.OOM;
        if (!json) return Verdict.CRASH;
        if (r.err().stream().anyMatch(CliCatalogueTest::isStackFrame)) return Verdict.STACK_TRACE;
        List<String> errors = r.err().stream().filter(l -> l.startsWith("knetj ") || l.startsWith("knetj: ")).toList();
        if (r.code() != bad.exitCode() || errors.size() != 1 || !errors.get(0).contains(bad.says()) || errors.get(0).length() > 2200) return Verdict.UNCLEAR;
        return Verdict.CLEAR;
    }

    private static AssertionError count(Verdict v, String what) {
        TALLY.computeIfAbsent(v, k -> new AtomicInteger()).incrementAndGet();
        return new AssertionError(v + ": " + what);
    }

    static boolean isStackFrame(String l) { return l.matches("\\s+at [\\w.$/]+\\(.*\\)") || l.startsWith("Exception in thread") || l.startsWith("Caused by:"); }

    /** The last stdout line is the only JSON line, with the command and "status":"error". */
    static void assertJsonError(Run r, String all) {
        assertTrue(r.last().startsWith("{\"command\":\"") && r.last().contains("\"status\":\"error\""), "a JSON error line last\n" + all);
        assertEquals(1, r.out().stream().filter(l -> l.startsWith("{")).count(), "exactly one JSON line\n" + all);
    }

    static Set<String> listing(Path d) throws IOException {
        try (Stream<Path> s = Files.walk(d)) { return new TreeSet<>(s.map(p -> d.relativize(p).toString()).toList()); }
    }

    @Test
    void theVerdictPutsEachKindOfFailureInItsColumn() {
        BadInput bad = BadInput.of("test", 2, "--epochs", "train");
        String json = "{\"command\":\"train\",\"status\":\"error\"}";
        assertEquals(Verdict.CLEAR, verdict(bad, new Run(2, List.of(json), List.of("knetj train: --epochs -1: expected"))));
        assertEquals(Verdict.SILENTLY_WRONG, verdict(bad, new Run(0, List.of(json), List.of("knetj train: --epochs"))));
        assertEquals(Verdict.CRASH, verdict(bad, new Run(1, List.of(), List.of("Exception in thread \"main\" java.lang.ExceptionInInitializerError"))));
        assertEquals(Verdict.CRASH, verdict(bad, new Run(2, List.of(json, json), List.of("knetj train: --epochs"))));
        assertEquals(Verdict.STACK_TRACE, verdict(bad, new Run(2, List.of(json), List.of("knetj train: --epochs", "\tat io.github.knetj.X.y(X.java:3)"))));
        assertEquals(Verdict.UNCLEAR, verdict(bad, new Run(2, List.of(json), List.of("knetj train: something went wrong"))));
        assertEquals(Verdict.UNCLEAR, verdict(bad, new Run(1, List.of(json), List.of("knetj train: --epochs"))));
        assertEquals(Verdict.OOM, verdict(bad, new Run(1, List.of(), List.of("java.lang.OutOfMemoryError: Java heap space"))));
    }

    @Test
    void debugShowsTheStackTraceThatIsOtherwiseHidden() {
        Run r = run(List.of("--debug", "train", "mlp", "--load", dir.resolve("empty.safetensors").toString(), "--epochs", "0"));
        assertEquals(1, r.code());
        assertTrue(r.err().stream().anyMatch(CliCatalogueTest::isStackFrame), String.join("\n", r.err()));
        assertJsonError(r, String.join("\n", r.out()));
    }

    @Test
    void helpOfAModelListsItsOptionsWithTheirDefaultsAndOnlyThose() {
        Run lenet = run(List.of("train", "lenet", "--help"));
        assertEquals(0, lenet.code());
        String text = String.join("\n", lenet.out());
        assertTrue(text.contains("--epochs=N") && text.contains("Default: 3") && text.contains("Default: 0.001") && text.contains("--inputs"), text);
        assertEquals("{\"command\":\"train lenet\",\"status\":\"ok\",\"help\":true}", lenet.last());
        Run charlm = run(List.of("train", "charlm", "--help"));
        String c = String.join("\n", charlm.out());
        assertTrue(c.contains("--seqlen=N") && c.contains("Default: 7") && !c.contains("--plot") && !c.contains("--progress") && !c.contains("--inputs"), c);
        Run mlp = run(List.of("help", "train", "mlp"));
        assertTrue(String.join("\n", mlp.out()).contains("Default: 0.1"), String.join("\n", mlp.out()));
        Run top = run(List.of("help"));
        String t = String.join("\n", top.out());
        assertTrue(t.contains("Exit codes: 0 ok") && t.contains("train") && t.contains("gradcheck") && t.contains("bench"), t);
        assertEquals(0, run(List.of()).code());
    }

    /** The counts in the columns, for the closing note. */
    @AfterAll static void tally() {
        StringBuilder sb = new StringBuilder("CLI bad-input catalogue: ");
        int tried = TALLY.values().stream().mapToInt(AtomicInteger::get).sum();
        sb.append(tried).append(" tried");
        for (Verdict v : Verdict.values()) sb.append(", ").append(TALLY.getOrDefault(v, new AtomicInteger()).get()).append(' ').append(v.name().toLowerCase().replace('_', ' '));
        System.out.println(sb);
    }
}
