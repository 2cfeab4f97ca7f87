package io.github.knetj.io;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's {@code .npy} (one array) and {@code .npz} (a zip of named {@code .npy} files) formats, so that arrays pass
 * between KnetJ and {@code numpy.load}/{@code numpy.save}/{@code numpy.savez}.
 * <p>
 * An {@code .npy} file is the magic {@code \x93NUMPY}, a version (1.0 has a 2-byte header length, 2.0 and 3.0 a 4-byte
 * one), and a Python-literal header such as {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }} padded
 * so that the data starts at a multiple of 64 bytes. KnetJ writes version 1.0, little-endian {@code <f4} or
 * {@code <f8}, C order. It reads float16/32/64 and the integer and bool types, either byte order, C or Fortran order;
 * integers and bools become float64 (exact up to 2^53), float16 becomes float32. Writes are atomic.
 */
public final class NumPy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NumPy() {}

    /** Writes t to {@code path} as an {@code .npy} file, atomically. */
    public static void save(Path path, Tensor t) throws IOException { AtomicFiles.write(path, npy(t)); }

    /** Writes the tensors to {@code path} as an {@code .npz} file (entries "name.npy", as numpy.savez names them), atomically. */
    public static void savez(Path path, Map<String, Tensor> tensors) throws IOException {
        AtomicFiles.write(path, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                if (e.getKey().isEmpty() || e.getKey().contains("/")) throw new IllegalArgumentException("NumPy.savez: invalid array name '" + e.getKey() + "'");
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                zip.write(npy(e.getValue()));
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    /** The array of an {@code .npy} file on backend, in dtype (null: float64 and integers give float64, the others float32). */
    public static Tensor load(Path path, Backend backend, DType dtype) throws IOException {
        return parse(path.toString(), Files.readAllBytes(path), backend, dtype);
    }

    /** The arrays of an {@code .npz} file by name (".npy" dropped), in the file's order; see {@link #load} for dtype. */
    public static Map<String, Tensor> loadz(Path path, Backend backend, DType dtype) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(path); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (e.isDirectory()) continue;
                String name = e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4) : e.getName();
                out.put(name, parse(path + "!" + e.getName(), zip.readAllBytes(), backend, dtype));
            }
        }
        if (out.isEmpty()) throw new IOException(path + ": not an .npz file (no zip entries)");
        return out;
    }

    /** The bytes of an .npy file holding t. */
    static byte[] npy(Tensor t) {
        boolean f32 = t.dtype() == DType.FLOAT32;
        StringBuilder shape = new StringBuilder();
        for (int d : t.shape().dims()) shape.append(d).append(", ");
        if (t.shape().rank() > 1) shape.setLength(shape.length() - 2);   // (2, 3) but (2,) for one dim, () for a scalar
        else if (t.shape().rank() == 1) shape.setLength(shape.length() - 1);
        String dict = String.format(Locale.ROOT, "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", f32 ? "<f4" : "<f8", shape);
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        int n = t.shape().sizeInt();
        ByteBuffer buf = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + n * (f32 ? 4 : 8)).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        if (f32) for (float v : t.toFloatArray()) buf.putFloat(v);
        else for (double v : t.toDoubleArray()) buf.putDouble(v);
        return buf.array();
    }

    /** Reads one .npy image, checking the header against the data before trusting it. */
    static Tensor parse(String where, byte[] b, Backend backend, DType target) throws IOException {
        if (b.length < 10 || !java.util.Arrays.equals(b, 0, 6, MAGIC, 0, 6)) throw bad(where, "it does not start with \\x93NUMPY (not an .npy file)");
        int major = b[6];
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int start;
        if (major == 1) { headerLen = buf.getShort(8) & 0xffff; start = 10; }
        else if (major == 2 || major == 3) {
            if (b.length < 12) throw bad(where, "truncated header");
            headerLen = buf.getInt(8) & 0xffffffffL; start = 12;
        } else throw bad(where, "format version " + major + "." + b[7] + " is not 1, 2 or 3");
        if (start + headerLen > b.length) throw bad(where, "the header of " + headerLen + " bytes runs past the end of the file (" + b.length + " bytes)");
        String header = new String(b, start, (int) headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header), f = FORTRAN.matcher(header), s = SHAPE.matcher(header);
        if (!d.find()) throw bad(where, "no 'descr' of a plain numeric type in the header " + header.strip() + " (structured and object arrays are not read)");
        if (!f.find() || !s.find()) throw bad(where, "the header " + header.strip() + " lacks 'fortran_order' or 'shape'");
        char kind = d.group(2).charAt(0);
        int size = Integer.parseInt(d.group(3));
        ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        String type = "" + kind + size;
        if (!switch (kind) { case 'f' -> size == 2 || size == 4 || size == 8; case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8; case 'b' -> size == 1; default -> false; })
            throw bad(where, "dtype '" + d.group() + "' is not read by KnetJ (float16/32/64, int and uint of 1 to 8 bytes, bool)");
        int[] dims = dims(where, s.group(1));
        long count = 1;
        for (int dim : dims) count *= dim;
        long dataStart = start + headerLen;
        if (count * size != b.length - dataStart)
            throw bad(where, "shape " + Shape.of(dims) + " of " + type + " needs " + count * size + " bytes but " + (b.length - dataStart) + " follow the header");
        int n = (int) count;
        ByteBuffer data = ByteBuffer.wrap(b, (int) dataStart, b.length - (int) dataStart).slice().order(order);
        double[] v = new double[n];
        for (int i = 0; i < n; i++)
            v[i] = switch (type) {
                case "f8" -> data.getDouble();
                case "f4" -> data.getFloat();
                case "f2" -> Float.float16ToFloat(data.getShort());
                case "i8" -> data.getLong();
                case "i4" -> data.getInt();
                case "i2" -> data.getShort();
                case "i1" -> data.get();
                case "u8" -> unsignedLong(data.getLong());
                case "u4" -> data.getInt() & 0xffffffffL;
                case "u2" -> data.getShort() & 0xffff;
                default -> data.get() & 0xff;   // u1 and b1
            };
        if (f.group(1).equals("True")) v = fortranToC(v, dims);
        DType to = target != null ? target : type.equals("f4") || type.equals("f2") ? DType.FLOAT32 : DType.FLOAT64;
        return backend.memory().fromArray(v, Shape.of(dims), to);
    }

    private static double unsignedLong(long x) { return x >= 0 ? x : (double) (x >>> 1) * 2 + (x & 1); }

    private static int[] dims(String where, String tuple) throws IOException {
        String[] parts = tuple.split(",");
        int k = 0;
        int[] out = new int[parts.length];
        for (String p : parts) {
            if (p.isBlank()) continue;
            try {
                out[k] = Integer.parseInt(p.strip().replace("L", ""));
            } catch (NumberFormatException e) {
                throw bad(where, "shape (" + tuple + ") is not a tuple of whole numbers");
            }
            if (out[k++] < 0) throw bad(where, "shape (" + tuple + ") has a negative dim");
        }
        return java.util.Arrays.copyOf(out, k);
    }

    /** The row-major (C) order of the column-major (Fortran) values v of shape dims. */
    private static double[] fortranToC(double[] v, int[] dims) {
        double[] out = new double[v.length];
        int[] idx = new int[dims.length];
        for (int c = 0; c < v.length; c++) {
            // idx is the multi-index of row-major position c; its column-major position strides the first dim fastest.
            int fpos = 0, stride = 1;
            for (int k = 0; k < dims.length; k++) { fpos += idx[k] * stride; stride *= dims[k]; }
            out[c] = v[fpos];
            for (int k = dims.length - 1; k >= 0; k--) { if (++idx[k] < dims[k]) break; idx[k] = 0; }
        }
        return out;
    }

    private static IOException bad(String where, String why) { return new IOException(where + ": cannot read as .npy: " + why); }
}
