package io.github.knetj.io;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.tck.BackendUnderTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The safetensors reader and writer: round trips, PyTorch's file, and every kind of broken file. */
class SafeTensorsTest {
    private final Backend b = BackendUnderTest.get("reference");
    @TempDir Path dir;

    private Map<String, Tensor> sample() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("w", b.memory().fromArray(new float[]{1.5f, -2, 3, 4.25f, 0, -0f}, Shape.of(2, 3)));
        m.put("b", b.memory().fromArray(new double[]{0.1, Math.PI}, Shape.of(2), DType.FLOAT64));
        m.put("s", b.memory().scalar(7, DType.FLOAT32));
        return m;
    }

    @Test void roundTripKeepsNamesShapesDtypesValuesAndMetadata() throws IOException {
        Path f = dir.resolve("m.safetensors");
        SafeTensors.save(f, sample(), Map.of("k", "v"));
        assertEquals(0, (Files.size(f) - 8 - ByteBuffer.wrap(Files.readAllBytes(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong()) % 4);
        SafeTensors.Contents c = SafeTensors.read(f, b, null);
        assertEquals(List.of("w", "b", "s"), List.copyOf(c.tensors().keySet()));
        assertEquals(Map.of("k", "v"), c.metadata());
        Tensor w = c.tensors().get("w"), bias = c.tensors().get("b"), s = c.tensors().get("s");
        assertEquals(Shape.of(2, 3), w.shape());
        assertEquals(DType.FLOAT32, w.dtype());
        assertArrayEquals(sample().get("w").toFloatArray(), w.toFloatArray());
        assertEquals(DType.FLOAT64, bias.dtype());
        assertArrayEquals(new double[]{0.1, Math.PI}, bias.toDoubleArray(), 0);
        assertEquals(Shape.scalar(), s.shape());
        assertEquals(7, s.item());
        Tensor b64 = SafeTensors.load(f, b, DType.FLOAT64).get("w");
        assertEquals(DType.FLOAT64, b64.dtype());
        assertEquals(Map.of("k", "v"), SafeTensors.metadata(f));
    }

    @Test void readsTheFileWrittenFromPyTorch() throws IOException {
        Path f = dir.resolve("torch-small.safetensors");
        try (InputStream in = getClass().getResourceAsStream("torch-small.safetensors")) {
            assertNotNull(in, "fixture torch-small.safetensors (made by scripts/make-safetensors-fixture.py) is missing");
            Files.copy(in, f);
        }
        SafeTensors.Contents c = SafeTensors.read(f, b, null);
        assertEquals("pt", c.metadata().get("format"));
        Map<String, Tensor> t = c.tensors();
        assertEquals(Shape.of(2, 3), t.get("weight").shape());
        assertArrayEquals(new float[]{-0.5f, -0.25f, 0, 0.25f, 0.5f, 0.75f}, t.get("weight").toFloatArray());
        assertEquals(DType.FLOAT64, t.get("bias").dtype());
        assertArrayEquals(new double[]{0.1, -0.2, 0.3}, t.get("bias").toDoubleArray(), 0);
        assertEquals(Shape.scalar(), t.get("scale").shape());
        assertEquals(2.5, t.get("scale").item());
        assertEquals(DType.FLOAT32, t.get("half").dtype());
        assertArrayEquals(new float[]{1.5f, -0.25f}, t.get("half").toFloatArray());
        assertArrayEquals(new float[]{3f, -0.5f}, t.get("brain").toFloatArray());
    }

    /** A file with this header text and {@code data} bytes of data. */
    private Path file(String name, long headerLength, String header, int data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + data).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(headerLength).put(h);
        Path f = dir.resolve(name);
        Files.write(f, buf.array());
        return f;
    }

    private void assertCorrupt(Path f, String... words) {
        IOException e = assertThrows(IOException.class, () -> SafeTensors.load(f, b, null));
        for (String w : words) assertTrue(e.getMessage().contains(w), "message lacks '" + w + "': " + e.getMessage());
    }

    @Test void corruptHeaderIsAClearError() throws IOException {
        String bad = "{\"w\": {\"dtype\": \"F32\", \"shape\": [2]";
        assertCorrupt(file("a", bad.length(), bad, 8), "does not parse");
        String notJson = "GARBAGE!";
        assertCorrupt(file("b", notJson.length(), notJson, 0), "does not start with '{'");
        String noOffsets = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}";
        assertCorrupt(file("c", noOffsets.length(), noOffsets, 8), "data_offsets");
        String wrongLength = "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
        assertCorrupt(file("d", wrongLength.length(), wrongLength, 8), "needs 12 bytes");
        String overlap = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"v\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertCorrupt(file("e", overlap.length(), overlap, 12), "overlap or leave a gap");
        String fp8 = "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[8],\"data_offsets\":[0,8]}}";
        IOException e = assertThrows(IOException.class, () -> SafeTensors.load(file("f", fp8.length(), fp8, 8), b, null));
        assertTrue(e.getMessage().contains("F8_E4M3") && e.getMessage().contains("not support"), e.getMessage());
        String huge = "{\"w\":{\"dtype\":\"F32\",\"shape\":[100000,100000],\"data_offsets\":[0,40000000000]}}";
        assertCorrupt(file("g", huge.length(), huge, 8), "more elements");
    }

    @Test void truncatedFileIsAClearError() throws IOException {
        Path f = dir.resolve("t.safetensors");
        SafeTensors.save(f, sample(), Map.of());
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length - 5));
        assertCorrupt(f, "ends at byte", "truncated");
        Files.write(f, Arrays.copyOf(all, 40));
        assertCorrupt(f, "header length", "truncated");
        Files.write(f, Arrays.copyOf(all, 3));
        assertCorrupt(f, "fewer than the 8");
    }

    @Test void absurdHeaderLengthIsRejectedWithoutAllocating() throws IOException {
        assertCorrupt(file("h", Long.MAX_VALUE, "{}", 0), "header length");
        assertCorrupt(file("i", -1, "{}", 0), "18446744073709551615");
        assertCorrupt(file("j", 4_000_000_000L, "{}", 0), "impossible");
    }

    @Test void missingFileAndBadNames() {
        assertThrows(java.nio.file.NoSuchFileException.class, () -> SafeTensors.load(dir.resolve("nope"), b, null));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.save(dir.resolve("x"), Map.of("__metadata__", sample().get("s")), Map.of()));
    }

    /** PyTorch's BatchNorm keeps num_batches_tracked as int64: such files are read, integers as float64. */
    @Test
    void integerTensorsAreReadAsFloat64(@TempDir Path dir) throws IOException {
        String header = "{\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},"
                + "\"m\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[8,16]},"
                + "\"u\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[16,18]},"
                + "\"k\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[18,20]}}";
        java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(20).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        data.putLong(123_456_789_012L).putInt(-7).putInt(70000).put((byte) 200).put((byte) 3).put((byte) 1).put((byte) 0);
        byte[] json = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer file = java.nio.ByteBuffer.allocate(8 + json.length + 20).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        file.putLong(json.length).put(json).put(data.array());
        Path p = dir.resolve("ints.safetensors");
        java.nio.file.Files.write(p, file.array());
        SafeTensors.Contents c = SafeTensors.read(p, b, null);
        assertEquals("I64", c.dtypes().get("n"));
        assertEquals(io.github.knetj.api.DType.FLOAT64, c.tensors().get("n").dtype());
        assertEquals(123_456_789_012.0, c.tensors().get("n").toDoubleArray()[0]);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[]{-7, 70000}, c.tensors().get("m").toDoubleArray());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[]{200, 3}, c.tensors().get("u").toDoubleArray());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[]{1, 0}, c.tensors().get("k").toDoubleArray());
    }
}
