package io.github.knetj.examples.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The files the catalogue feeds the CLI: a FIFO, a text that is not UTF-8, a text too short to train on, a valid file
 * of another model, and safetensors files that are truncated, oversized or hostile, each with what its error must say.
 */
final class HostileFiles {
    private HostileFiles() {}

    static final String FIFO = "pipe.safetensors", BINARY_TEXT = "binary.txt", SHORT_TEXT = "short.txt", OTHER_MODEL = "other.safetensors",
            HUGE_TEXT = "huge.txt", HUGE_MODEL = "huge.safetensors";

    /** A hostile safetensors file: its name, its bytes, and a fragment of the error it must give. */
    record Bad(String name, byte[] bytes, String says) {}

    private static final String ONE = "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}";

    static final List<Bad> SAFETENSORS = List.of(
            new Bad("empty.safetensors", new byte[0], "fewer than the 8"),
            new Bad("seven.safetensors", new byte[7], "fewer than the 8"),
            new Bad("long-header.safetensors", withLength(1_000_000, "{}"), "is impossible"),
            new Bad("negative-header.safetensors", withLength(-8, "{}"), "is impossible"),
            new Bad("oversized-header.safetensors", oversized(), "exceeds KnetJ's limit"),
            new Bad("not-json.safetensors", file("{not json at all}", 0), "does not parse"),
            new Bad("array.safetensors", file("[1,2,3]", 0), "does not start with '{'"),
            new Bad("duplicate.safetensors", file("{\"w\":" + ONE + ",\"w\":" + ONE + "}", 4), "appears twice"),
            new Bad("offset-2-64.safetensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[18446744073709551616,18446744073709551620]}}", 4),
                    "below 2^63"),
            new Bad("trailing-garbage.safetensors", file("{\"w\":" + ONE + "}xyz", 4), "not space padding"),
            new Bad("invalid-utf8.safetensors", invalidUtf8(), "not valid UTF-8"),
            new Bad("truncated-data.safetensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8), "truncated"),
            new Bad("trailing-data.safetensors", file("{\"w\":" + ONE + "}", 12), "trailing bytes"),
            new Bad("overlap.safetensors", file("{\"a\":" + ONE + ",\"b\":" + ONE + "}", 4), "overlap"),
            new Bad("negative-shape.safetensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4), "invalid shape"),
            new Bad("size-mismatch.safetensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,4]}}", 4), "needs 12 bytes"),
            new Bad("int64.safetensors", file("{\"w\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8), "does not support"),
            new Bad("dtype-number.safetensors", file("{\"w\":{\"dtype\":7,\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "has no dtype"),
            new Bad("huge-shape.safetensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647],\"data_offsets\":[0,4]}}", 4), "more elements"),
            new Bad("unknown-field.safetensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4), "unknown field"),
            new Bad("metadata-array.safetensors", file("{\"__metadata__\":[1]}", 0), "__metadata__"),
            new Bad("deep.safetensors", file("{\"w\":" + "[".repeat(5000) + "]".repeat(5000) + "}", 0), "is not an object"),
            new Bad("long-name.safetensors", file("{\"" + "n".repeat(60_000) + "\":{\"dtype\":\"X9\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4),
                    "more characters"));

    /** Makes every file in dir. */
    static void make(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", dir.resolve(FIFO).toString()).inheritIO().start();
        if (p.waitFor() != 0) throw new IOException("mkfifo failed");
        Files.write(dir.resolve(BINARY_TEXT), new byte[]{(byte) 0xff, (byte) 0xfe, 0, (byte) 0xc3, 0x28, (byte) 0x80});
        Files.writeString(dir.resolve(SHORT_TEXT), "abcabcabc abc\n");
        Files.write(dir.resolve(OTHER_MODEL), file("{\"x\":" + ONE + "}", 4));
        for (Bad b : SAFETENSORS) Files.write(dir.resolve(b.name()), b.bytes());
        // Sparse files: their length costs no disk, and a reader that trusted it would try to hold it all.
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(dir.resolve(HUGE_TEXT).toFile(), "rw")) { f.setLength(65L << 20); }
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(dir.resolve(HUGE_MODEL).toFile(), "rw")) {
            byte[] head = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[805306366],\"data_offsets\":[0,3221225464]}}", 0);
            f.setLength(head.length + 3221225464L);   // a header true to the file: 3.2 GB of data, more than one Java array holds
            f.write(head);
        }
    }

    /** A header padded with spaces to a multiple of 8, then dataBytes zero bytes. */
    static byte[] file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + padded + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(h);
        for (int i = h.length; i < padded; i++) b.put((byte) ' ');
        return b.array();
    }

    private static byte[] withLength(long length, String header) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length).order(ByteOrder.LITTLE_ENDIAN).putLong(length).put(h).array();
    }

    /** A header of 1.5 MiB (a long metadata string), more than the 1 MiB KnetJ reads. */
    private static byte[] oversized() { return file("{\"__metadata__\":{\"k\":\"" + "v".repeat(3 << 19) + "\"}}", 0); }

    private static byte[] invalidUtf8() {
        byte[] f = file("{\"w?\":" + ONE + "}", 4);
        f[8 + 3] = (byte) 0xff;   // the '?' of the name
        return f;
    }
}
