package io.github.knetj.io;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Tensor;
import io.github.knetj.tck.BackendUnderTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the safetensors format is strict, the reader is too: each case once parsed (an offset of 2^64 wrapped to a
 * small number, a repeated name kept its last entry, trailing garbage and invalid UTF-8 in names were accepted, a
 * header under the old 100 MB cap cost 24 times its size in heap and made messages of 789 KB).
 */
class StrictSafeTensorsTest {
    @TempDir Path dir;
    private final Backend b = BackendUnderTest.get("reference");
    private static final String ONE = "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}";

    /** A file with this header (padded with spaces to a multiple of 8) and {@code data} zero bytes. */
    private Path file(String header, int data) throws IOException { return file(header.getBytes(StandardCharsets.UTF_8), data); }

    private Path file(byte[] h, int data) throws IOException {
        int padded = (h.length + 7) / 8 * 8;
        ByteBuffer buf = ByteBuffer.allocate(8 + padded + data).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(padded).put(h);
        for (int i = h.length; i < padded; i++) buf.put((byte) ' ');
        return Files.write(Files.createTempFile(dir, "t", ".safetensors"), buf.array());
    }

    private void assertCorrupt(Path f, String... words) {
        IOException e = assertThrows(IOException.class, () -> SafeTensors.load(f, b, null));
        for (String w : words) assertTrue(e.getMessage().contains(w), "message lacks '" + w + "': " + e.getMessage());
        assertTrue(e.getMessage().length() < 1000, "a bounded message: " + e.getMessage().length() + " characters");
    }

    @Test void offsetsBeyondTwoToTheSixtyThreeAreRefused() throws IOException {
        assertCorrupt(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[18446744073709551616,18446744073709551620]}}", 4),
                "tensor 'w'", "below 2^63", "18446744073709551616");
        assertCorrupt(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0.0,4]}}", 4), "tensor 'w'", "data_offsets");
    }

    @Test void aRepeatedNameIsRefusedNotOverwritten() throws IOException {
        assertCorrupt(file("{\"w\":" + ONE + ",\"w\":" + ONE + "}", 4), "the name 'w' appears twice");
        assertCorrupt(file("{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "dtype twice");
        assertCorrupt(file("{\"__metadata__\":{\"a\":\"1\",\"a\":\"2\"}}", 0), "appears twice");
    }

    @Test void anythingButSpacesAfterTheHeaderObjectIsRefused() throws IOException {
        assertCorrupt(file("{\"w\":" + ONE + "}}", 4), "after its closing '}'");
        assertCorrupt(file("{\"w\":" + ONE + "} {}", 4), "after its closing '}'");
        byte[] nul = ("{\"w\":" + ONE + "}\0").getBytes(StandardCharsets.UTF_8);
        assertCorrupt(file(nul, 4), "character ", "0x0");
    }

    @Test void invalidUtf8InANameIsRefused() throws IOException {
        byte[] h = ("{\"w?\":" + ONE + "}").getBytes(StandardCharsets.UTF_8);
        h[3] = (byte) 0xc3;   // a lead byte followed by '"': malformed
        assertCorrupt(file(h, 4), "not valid UTF-8");
    }

    @Test void headersOverOneMebibyteAreRefusedBeforeTheyAreRead() throws IOException {
        Path big = file("{\"__metadata__\":{\"k\":\"" + "v".repeat((int) SafeTensors.MAX_HEADER) + "\"}}", 0);
        assertCorrupt(big, "exceeds KnetJ's limit of 1048576 bytes");
    }

    @Test void tensorsThatTogetherExceedTheHeapAreRefusedBeforeAnyIsRead() throws IOException {
        // Three F32 tensors, each needing half the heap (4 bytes read, 8 held per element), in a sparse file.
        long n = Math.min(Runtime.getRuntime().maxMemory() / 24, (Integer.MAX_VALUE - 8) / 4);
        StringBuilder h = new StringBuilder("{");
        for (int i = 0; i < 3; i++)
            h.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[").append(n).append("],\"data_offsets\":[")
                    .append(4 * n * i).append(',').append(4 * n * (i + 1)).append("]}");
        byte[] head = h.append('}').toString().getBytes(StandardCharsets.UTF_8);
        int padded = (head.length + 7) / 8 * 8;
        Path f = dir.resolve("big.safetensors");
        try (java.io.RandomAccessFile r = new java.io.RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(8 + padded + 12 * n);
            r.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            r.write(head);
            for (int i = head.length; i < padded; i++) r.write(' ');
        }
        assertCorrupt(f, "its 3 tensors need " + 36 * n + " bytes of heap", "more than the Java heap's maximum");
    }

    @Test void longNamesAreCutInMessages() throws IOException {
        String name = "n".repeat(50_000);
        assertCorrupt(file("{\"" + name + "\":{\"dtype\":\"U16\",\"shape\":[1],\"data_offsets\":[0,2]}}", 2), "more characters)", "has dtype U16");
    }

    @Test void unknownAndMistypedFieldsAreRefused() throws IOException {
        assertCorrupt(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"extra\":1}}", 4), "unknown field 'extra'");
        assertCorrupt(file("{\"w\":{\"dtype\":\"F32\",\"shape\":\"1\",\"data_offsets\":[0,4]}}", 4), "invalid shape");
        assertCorrupt(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 4), "data_offsets");
        assertCorrupt(file("{\"__metadata__\":{\"a\":1}}", 0), "__metadata__ value of 'a' is not a string");
    }

    @Test void aStrictReaderStillReadsWhatKnetJAndPyTorchWrite() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("ünïcödé.w", b.memory().fromArray(new double[]{1, 2, 3}, io.github.knetj.api.Shape.of(3), io.github.knetj.api.DType.FLOAT32));
        Path f = dir.resolve("ok.safetensors");
        SafeTensors.save(f, t, Map.of("k", "v"));
        assertArrayEquals(new float[]{1, 2, 3}, SafeTensors.load(f, b, null).get("ünïcödé.w").toFloatArray());
        // PyTorch's save_file writes no padding spaces and may leave the header unpadded: both read.
        Path unpadded = Files.write(dir.resolve("u.safetensors"), unpadded("{\"w\":" + ONE + "}", 4));
        assertArrayEquals(new float[]{0}, SafeTensors.load(unpadded, b, null).get("w").toFloatArray());
    }

    private static byte[] unpadded(String header, int data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).array();
    }

    @Test void onlyRegularFilesAreOpened() throws Exception {
        assertTrue(assertThrows(IOException.class, () -> SafeTensors.load(dir, b, null)).getMessage().contains("not a regular file (a directory)"));
        Path fifo = dir.resolve("p.safetensors");
        assertTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0);
        assertTrue(assertThrows(IOException.class, () -> SafeTensors.metadata(fifo)).getMessage().contains("a FIFO, socket or device"));
    }

    @Test void modelIoCutsLongNameListsInItsMessages() {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < 100_000; i++) names.add("layer." + i);
        String s = ModelIO.few(names);
        assertTrue(s.startsWith("[layer.0, layer.1,") && s.endsWith(", … and 99990 more]") && s.length() < 200, s);
    }
}
