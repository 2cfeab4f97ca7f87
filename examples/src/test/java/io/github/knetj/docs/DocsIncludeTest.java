package io.github.knetj.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guard that keeps the docs from rotting: every Java block in {@code docs/*.md} and {@code README.md} must be
 * marked {@code <!-- include: ChapterNN.java#TAG -->} and equal the tagged regions of that source in this package,
 * where a test compiles and runs it. {@code scripts/sync-docs.py} rewrites the blocks by the same rule. A block
 * marked {@code <!-- quote: PATH -->} instead quotes lines of a main source (the autograd core, read line by line in
 * chapter 2): its lines must appear in that file, in order and next to each other (indentation aside).
 */
class DocsIncludeTest {
    private static final Pattern MARKER = Pattern.compile("^<!-- include: ([A-Za-z0-9_.]+)#([A-Za-z0-9_-]+) -->$");
    private static final Pattern TAG = Pattern.compile("^\\s*// (tag|end)::([A-Za-z0-9_-]+)\\[]\\s*$");
    private static final Pattern QUOTE = Pattern.compile("^<!-- quote: ([A-Za-z0-9_./-]+) -->$");
    private static final String FIX = "; run python3 scripts/sync-docs.py to rewrite the blocks from the sources";

    /** The repository root: tests run in the examples module's folder. */
    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("docs"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("no docs/ folder above " + Path.of("").toAbsolutePath());
        return p;
    }

    static Path sources() { return root().resolve("examples/src/test/java/io/github/knetj/docs"); }

    /** The regions of a source tagged {@code tag}, each dedented, other tag lines dropped: the rule sync-docs.py applies. */
    static List<String> snippet(String file, String tag) throws IOException {
        Path path = sources().resolve(file);
        if (!Files.isRegularFile(path)) throw new AssertionError("included source " + path + " does not exist");
        List<List<String>> regions = new ArrayList<>();
        List<String> current = null;
        for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
            Matcher m = TAG.matcher(line);
            if (m.matches()) {
                if (m.group(2).equals(tag)) {
                    if (m.group(1).equals("tag")) current = new ArrayList<>();
                    else if (current != null) { regions.add(current); current = null; }
                }
                continue;
            }
            if (current != null) current.add(line.stripTrailing());
        }
        if (regions.isEmpty()) throw new AssertionError("no region tagged " + tag + " in " + path);
        List<String> out = new ArrayList<>();
        for (List<String> r : regions) {
            int indent = r.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
            for (String l : r) out.add(l.length() >= indent ? l.substring(indent) : l.strip());
        }
        return out;
    }

    static List<Path> markdownFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(root().resolve("docs"))) { s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add); }
        files.add(root().resolve("README.md"));
        return files;
    }

    @Test
    void everyJavaBlockIsIncludedFromATestedSourceAndMatchesIt() throws IOException {
        List<String> problems = new ArrayList<>();
        int blocks = 0;
        for (Path md : markdownFiles()) {
            List<String> lines = Files.readAllLines(md, StandardCharsets.UTF_8);
            String name = root().relativize(md).toString();
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).strip().equals("```java")) continue;
                Matcher m = i > 0 ? MARKER.matcher(lines.get(i - 1).strip()) : null;
                Matcher q = i > 0 ? QUOTE.matcher(lines.get(i - 1).strip()) : null;
                int end = i + 1;
                while (end < lines.size() && !lines.get(end).strip().equals("```")) end++;
                if (q != null && q.matches()) {
                    blocks++;
                    String quoted = quoted(q.group(1), lines.subList(i + 1, Math.min(end, lines.size())));
                    if (quoted != null) problems.add(name + ":" + (i + 1) + ": " + quoted);
                } else if (m == null || !m.matches()) {
                    problems.add(name + ":" + (i + 1) + ": a java block without an include marker (add <!-- include: ChapterNN.java#TAG --> above it)");
                } else {
                    blocks++;
                    List<String> expected = snippet(m.group(1), m.group(2));
                    List<String> actual = lines.subList(i + 1, Math.min(end, lines.size()));
                    if (!expected.equals(actual)) problems.add(name + ":" + (i + 1) + ": the block differs from " + m.group(1) + "#" + m.group(2) + FIX);
                }
                i = end;
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(blocks >= 20, "expected the tutorial's samples, found only " + blocks + " included blocks");
    }

    /** Null when the block's lines occur together in the file, else what is wrong. */
    private static String quoted(String file, List<String> block) throws IOException {
        Path path = root().resolve(file);
        if (!Files.isRegularFile(path)) return "quoted file " + file + " does not exist";
        List<String> want = block.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        List<String> have = Files.readAllLines(path, StandardCharsets.UTF_8).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (want.isEmpty()) return "empty quote of " + file;
        for (int start = 0; start + want.size() <= have.size(); start++)
            if (have.subList(start, start + want.size()).equals(want)) return null;
        return "the quoted lines no longer appear together in " + file + "; update the quote in the Markdown";
    }

    @Test
    void everyMarkerIsFollowedByAJavaBlock() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path md : markdownFiles()) {
            List<String> lines = Files.readAllLines(md, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++)
                if ((MARKER.matcher(lines.get(i).strip()).matches() || QUOTE.matcher(lines.get(i).strip()).matches()) && (i + 1 == lines.size() || !lines.get(i + 1).strip().equals("```java")))
                    problems.add(root().relativize(md) + ":" + (i + 1) + ": include marker without a java block after it" + FIX);
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyRelativeLinkPointsAtAFileThatExistsAndEveryChapterIsListed() throws IOException {
        Pattern link = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");
        List<String> problems = new ArrayList<>();
        for (Path md : markdownFiles()) {
            Matcher m = link.matcher(Files.readString(md, StandardCharsets.UTF_8));
            while (m.find()) {
                String target = m.group(1);
                if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("mailto:")) continue;
                if (!Files.exists(md.getParent().resolve(target).normalize()))
                    problems.add(root().relativize(md) + ": link to " + target + ", which does not exist");
            }
        }
        String index = Files.readString(root().resolve("docs/README.md"), StandardCharsets.UTF_8);
        try (Stream<Path> s = Files.list(root().resolve("docs"))) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d\\d-.*\\.md"))
                    .filter(n -> !index.contains("(" + n + ")")).forEach(n -> problems.add("docs/README.md does not list the chapter " + n));
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void theRuleReadsEveryRegionOfATagAndDedentsEach() throws IOException {
        List<String> readme = snippet("ReadmeSampleTest.java", "readme");
        assertTrue(readme.get(0).startsWith("import "), readme.toString());
        assertTrue(readme.stream().anyMatch(l -> l.startsWith("Param w = ")), "the second region is dedented: " + readme);
    }
}
