package io.github.knetj.docs;

import io.github.knetj.api.DType;
import io.github.knetj.autograd.Defaults;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The classroom of {@code ./knetj shell}: {@code scripts/knetj-startup.jsh} evaluates cleanly in JShell (after JShell's
 * DEFAULT imports, as the script is started), and the three lines its greeting ({@code scripts/knetj-greeting.txt},
 * which scripts/shell.sh prints) offers run and print what they promise, in float64 as the shell starts.
 */
class ShellStartupTest {
    /** JShell's DEFAULT startup, which scripts/shell.sh loads before ours. */
    private static final String DEFAULT_IMPORTS = "import java.io.*; import java.math.*; import java.net.*; import java.nio.file.*; "
            + "import java.util.*; import java.util.concurrent.*; import java.util.function.*; import java.util.prefs.*; "
            + "import java.util.regex.*; import java.util.stream.*;";

    @AfterEach
    void restore() { Defaults.dtype(DType.FLOAT32); }

    @Test
    void theStartupScriptLoadsAndTheGreetingsThreeLinesWork() throws IOException {
        String script = Files.readString(DocsIncludeTest.root().resolve("scripts/knetj-startup.jsh"), StandardCharsets.UTF_8);
        String greeting = Files.readString(DocsIncludeTest.root().resolve("scripts/knetj-greeting.txt"), StandardCharsets.UTF_8);
        Defaults.dtype(DType.FLOAT64);   // scripts/shell.sh's -Dknetj.dtype=float64
        try (JShell shell = JShell.builder().executionEngine("local").build()) {
            shell.addToClasspath(System.getProperty("java.class.path"));
            eval(shell, DEFAULT_IMPORTS);
            eval(shell, script);
            List<String> tryLines = greeting.lines().dropWhile(l -> !l.startsWith("Three lines to try:")).skip(1)
                    .takeWhile(l -> l.startsWith("  ")).map(String::strip).toList();
            assertEquals(3, tryLines.size(), "the greeting shows three lines to try:\n" + greeting);
            List<String> values = new ArrayList<>();
            for (String line : tryLines) values.addAll(eval(shell, line));
            String all = String.join("\n", values);
            assertTrue(all.contains("Tensor[2, 1] float64 on "), "line 1 builds a model and applies it:\n" + all);
            assertTrue(all.contains("Tensor[8, 2] float64 on "), "line 2 takes a gradient:\n" + all);
            assertTrue(all.contains("jacobian") && !all.contains("FAIL"), "line 3 prints a passing GradCheck table:\n" + all);
        }
    }

    /** Evaluates every snippet of source, failing on a rejected snippet or an exception; returns the values shown. */
    private static List<String> eval(JShell shell, String source) {
        List<String> values = new ArrayList<>();
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String rest = source;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            String snippet = info.source() == null ? rest : info.source();
            for (SnippetEvent e : shell.eval(snippet)) {
                String diagnostics = shell.diagnostics(e.snippet()).map(d -> d.getMessage(null)).toList().toString();
                assertTrue(e.status() != Snippet.Status.REJECTED, "JShell rejected: " + snippet + " " + diagnostics);
                assertTrue(e.exception() == null, "JShell threw on: " + snippet + ": " + e.exception());
                if (e.value() != null) values.add(e.value());
            }
            rest = info.source() == null ? "" : info.remaining();
        }
        return values;
    }
}
