package io.github.knetj.docs;

import io.github.knetj.api.DType;
import io.github.knetj.autograd.Defaults;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * "Type the samples in as they are" kept true: every sample of the tutorial ({@code docs/NN-*.md}, whatever chapters
 * exist, in chapter order) is typed into one JShell set up as {@code ./knetj shell} sets it up (float64, JShell's
 * DEFAULT imports, then {@code scripts/knetj-startup.jsh}), and any rejected snippet, unresolved name or exception fails.
 * <p>
 * A sample is a block included from a chapter's test ({@code <!-- include: ChapterNNTest.java#tag -->}), the code a
 * reader types. Two kinds of block are read, not typed: quotes of the library's source ({@code <!-- quote: -->}, the
 * autograd core in chapter 2), and pieces of other files a chapter has the reader write (chapter 10's backend
 * classes), which Maven compiles; the shell sees those through its class path, so the test imports them by name
 * before the chapter's samples run.
 */
class DocsJShellTest {
    private static final Pattern PAGE = Pattern.compile("\\d\\d-.*\\.md");
    private static final Pattern INCLUDE = Pattern.compile("^<!-- include: ([A-Za-z0-9_]+)\\.java#([A-Za-z0-9_-]+) -->$");
    private static final Pattern CHAPTER_TEST = Pattern.compile("Chapter\\d+Test");
    /** JShell's DEFAULT startup, which scripts/shell.sh loads before knetj-startup.jsh. */
    private static final String DEFAULT_IMPORTS = "import java.io.*; import java.math.*; import java.net.*; import java.nio.file.*; "
            + "import java.util.*; import java.util.concurrent.*; import java.util.function.*; import java.util.prefs.*; "
            + "import java.util.regex.*; import java.util.stream.*;";

    /** One chapter's samples in page order, and the classes of other files its blocks show. */
    record Chapter(Path page, List<String> samples, Set<String> classes) {}

    @AfterEach
    void restore() {
        Defaults.dtype(DType.FLOAT32);
        Defaults.backend(io.github.knetj.api.Backends.get());
    }

    @Test
    void everySampleOfTheTutorialRunsInTheShellInChapterOrder() throws IOException {
        List<Chapter> chapters = chapters(DocsIncludeTest.root().resolve("docs"));
        assertTrue(chapters.stream().mapToInt(c -> c.samples().size()).sum() > 20, "the tutorial's samples were found: " + chapters);
        String startup = Files.readString(DocsIncludeTest.root().resolve("scripts/knetj-startup.jsh"), StandardCharsets.UTF_8);
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int typed = 0;
        List<String> failures = new ArrayList<>();
        try (JShell shell = JShell.builder().executionEngine("local").build();
             PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            shell.addToClasspath(System.getProperty("java.class.path"));
            // What the samples print would bury the test report; it is shown when a sample fails.
            System.setOut(out);
            Defaults.dtype(DType.FLOAT64);   // scripts/shell.sh's -Dknetj.dtype=float64
            eval(shell, DEFAULT_IMPORTS, "JShell's DEFAULT startup", printed, failures);
            eval(shell, startup, "scripts/knetj-startup.jsh", printed, failures);
            for (Chapter c : chapters) {
                for (String cls : c.classes())
                    if (isPublic(cls))   // a package-private class (a test of the chapter's backend) is not for the shell
                        eval(shell, "import " + getClass().getPackageName() + "." + cls + ";", c.page() + " (its files)", printed, failures);
                for (String sample : c.samples()) {
                    eval(shell, sample, c.page().toString(), printed, failures);
                    typed++;
                }
            }
        } finally {
            System.setOut(stdout);
        }
        // Every failure is listed (a later sample may fail only because an earlier one did: fix the first first).
        if (!failures.isEmpty()) fail(failures.size() + " of " + typed + " samples failed in JShell:\n\n" + String.join("\n\n", failures));
        System.out.println("DocsJShellTest: typed " + typed + " samples of " + chapters.size() + " chapters into JShell");
    }

    /** The chapters under docs, in file-name order, with their samples. */
    static List<Chapter> chapters(Path docs) throws IOException {
        List<Path> pages;
        try (Stream<Path> s = Files.list(docs)) {
            pages = s.filter(p -> PAGE.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
        List<Chapter> out = new ArrayList<>();
        for (Path page : pages) {
            List<String> samples = new ArrayList<>();
            Set<String> classes = new LinkedHashSet<>();
            List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = INCLUDE.matcher(lines.get(i));
                if (!m.matches()) continue;
                String file = m.group(1);
                if (CHAPTER_TEST.matcher(file).matches()) samples.add(String.join("\n", DocsIncludeTest.snippet(file + ".java", m.group(2))));
                else classes.add(file);
            }
            out.add(new Chapter(docs.relativize(page), samples, classes));
        }
        return out;
    }

    private static boolean isPublic(String simpleName) {
        try {
            return java.lang.reflect.Modifier.isPublic(Class.forName(DocsJShellTest.class.getPackageName() + "." + simpleName).getModifiers());
        } catch (ClassNotFoundException e) {
            throw new AssertionError("a docs page includes " + simpleName + ".java, but no such class was compiled", e);
        }
    }

    /** Evaluates every snippet of source as JShell would when it is pasted; adds what went wrong to failures. */
    private static void eval(JShell shell, String source, String where, ByteArrayOutputStream printed, List<String> failures) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String rest = source;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            if (info.completeness() == SourceCodeAnalysis.Completeness.DEFINITELY_INCOMPLETE) {
                failures.add(where + ": JShell finds this sample incomplete:\n" + rest);
                return;
            }
            String snippet = info.source() == null ? rest : info.source();
            for (SnippetEvent e : shell.eval(snippet)) {
                if (e.causeSnippet() != null) continue;   // an earlier snippet replaced by this one: not a failure
                Snippet.Status st = e.status();
                String problem = null;
                if (st == Snippet.Status.REJECTED)
                    problem = "rejected: " + shell.diagnostics(e.snippet()).map(d -> d.getMessage(null)).toList();
                else if (st == Snippet.Status.RECOVERABLE_DEFINED || st == Snippet.Status.RECOVERABLE_NOT_DEFINED)
                    problem = "unresolved: " + shell.unresolvedDependencies((DeclarationSnippet) e.snippet()).toList();
                else if (e.exception() != null)
                    problem = "threw " + e.exception();
                if (problem != null) {
                    String out = printed.toString(StandardCharsets.UTF_8);
                    failures.add(where + ": " + problem + "\nin the snippet:\n" + snippet.strip()
                            + (e.exception() == null ? "" : "\nlast lines printed:\n" + out.substring(Math.max(0, out.length() - 800))));
                }
            }
            rest = info.source() == null ? "" : info.remaining();
        }
    }
}
