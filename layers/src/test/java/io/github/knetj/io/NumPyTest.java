package io.github.knetj.io;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** .npy and .npz: files built byte by byte from NumPy's format description are read, and what KnetJ writes has NumPy's layout. */
class NumPyTest {
    private final Backend b = Backends.get("reference");

    /** An .npy version 1.0 image with the given header dict and data, padded the way numpy pads it. */
    static byte[] npy(String dict, byte[] data) {
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        return buf.put(header.getBytes(StandardCharsets.US_ASCII)).put(data).array();
    }

    @Test
    void writesNumpysLayoutForFloat32() {
        Tensor t = b.memory().fromArray(new float[]{1, 2, 3, 4, 5, 6}, Shape.of(2, 3));
        byte[] got = NumPy.npy(t);
        // numpy.save(np.arange(1, 7, dtype='<f4').reshape(2, 3)) writes exactly this header, 128 bytes in all.
        String header = new String(got, 10, ByteBuffer.wrap(got, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort(), StandardCharsets.US_ASCII);
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", header.strip());
        assertEquals(0, (10 + header.length()) % 64, "data aligned to 64 bytes");
        assertEquals(10 + header.length() + 24, got.length);
        assertEquals(6f, ByteBuffer.wrap(got, got.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat());
    }

    @Test
    void shapesOfOneDimAndScalarsAreWrittenAsPythonTuples() {
        assertTrue(new String(NumPy.npy(b.memory().fromArray(new float[]{1, 2}, Shape.of(2))), StandardCharsets.US_ASCII).contains("'shape': (2,)"));
        assertTrue(new String(NumPy.npy(b.memory().fromArray(new double[]{7}, Shape.of(), DType.FLOAT64)), StandardCharsets.US_ASCII)
                .contains("'descr': '<f8', 'fortran_order': False, 'shape': ()"));
    }

    @Test
    void readsBigEndianIntegersInFortranOrder() throws IOException {
        // The 2x3 matrix [[1, 2, 3], [4, 5, 6]] in column-major order: 1, 4, 2, 5, 3, 6, as big-endian int64.
        ByteBuffer data = ByteBuffer.allocate(48).order(ByteOrder.BIG_ENDIAN);
        for (long v : new long[]{1, 4, 2, 5, 3, 6}) data.putLong(v);
        Tensor t = NumPy.parse("test", npy("{'descr': '>i8', 'fortran_order': True, 'shape': (2, 3), }", data.array()), b, null);
        assertEquals(Shape.of(2, 3), t.shape());
        assertEquals(DType.FLOAT64, t.dtype());
        assertArrayEquals(new double[]{1, 2, 3, 4, 5, 6}, t.toDoubleArray());
    }

    @Test
    void readsBoolsUint8AndFloat16() throws IOException {
        assertArrayEquals(new double[]{1, 0, 1}, NumPy.parse("t", npy("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", new byte[]{1, 0, 1}), b, null).toDoubleArray());
        assertArrayEquals(new double[]{255, 7}, NumPy.parse("t", npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }", new byte[]{(byte) 255, 7}), b, null).toDoubleArray());
        // float16 1.5 is 0x3E00 and -2 is 0xC000.
        Tensor h = NumPy.parse("t", npy("{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }", new byte[]{0x00, 0x3E, 0x00, (byte) 0xC0}), b, null);
        assertEquals(DType.FLOAT32, h.dtype());
        assertArrayEquals(new float[]{1.5f, -2f}, h.toFloatArray());
    }

    @Test
    void saveAndLoadRoundTripInBothDtypes(@TempDir Path dir) throws IOException {
        Tensor f = b.memory().fromArray(new float[]{0.1f, -2.5f, 3e-8f, 7}, Shape.of(2, 1, 2));
        Tensor d = b.memory().fromArray(new double[]{Math.PI, -1e300}, Shape.of(2), DType.FLOAT64);
        NumPy.save(dir.resolve("f.npy"), f);
        Tensor f2 = NumPy.load(dir.resolve("f.npy"), b, null);
        assertEquals(DType.FLOAT32, f2.dtype());
        assertEquals(f.shape(), f2.shape());
        assertArrayEquals(f.toFloatArray(), f2.toFloatArray());
        Map<String, Tensor> both = new LinkedHashMap<>();
        both.put("weights", f);
        both.put("pi", d);
        NumPy.savez(dir.resolve("both.npz"), both);
        Map<String, Tensor> back = NumPy.loadz(dir.resolve("both.npz"), b, null);
        assertEquals(both.keySet(), back.keySet());
        assertArrayEquals(d.toDoubleArray(), back.get("pi").toDoubleArray());
        assertEquals(DType.FLOAT64, back.get("pi").dtype());
    }

    @Test
    void aTruncatedOrForeignFileIsAClearError(@TempDir Path dir) throws IOException {
        byte[] good = NumPy.npy(b.memory().fromArray(new float[]{1, 2, 3}, Shape.of(3)));
        Path cut = dir.resolve("cut.npy");
        Files.write(cut, java.util.Arrays.copyOf(good, good.length - 2));
        IOException e = assertThrows(IOException.class, () -> NumPy.load(cut, b, null));
        assertTrue(e.getMessage().contains("needs 12 bytes but 10 follow the header"), e.getMessage());
        Path text = dir.resolve("text.npy");
        Files.writeString(text, "hello, not numpy");
        assertTrue(assertThrows(IOException.class, () -> NumPy.load(text, b, null)).getMessage().contains("not an .npy file"));
        assertTrue(assertThrows(IOException.class, () -> NumPy.parse("t", npy("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", new byte[16]), b, null))
                .getMessage().contains("not read by KnetJ"));
    }
}
