package io.github.knetj.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format (Hugging Face's, which PyTorch users read with the {@code safetensors}
 * package): an 8-byte little-endian header length N, N bytes of JSON naming each tensor's dtype, shape and
 * {@code data_offsets} [begin, end) into the byte buffer that follows, plus an optional {@code __metadata__} map of
 * strings; tensors are row-major and little-endian. This class reads and writes it.
 * <p>
 * KnetJ writes F32 and F64 and reads F32, F64, F16 and BF16 (the last two widened to float32). Reading checks
 * everything before trusting it (header length against the file size, offsets in range, contiguous and
 * non-overlapping, shape × element size = byte length), so a corrupt or truncated file gives an {@link IOException}
 * naming the problem, and nothing larger than the file itself is ever allocated. Writes are atomic.
 */
public final class SafeTensors {
    /**
     * The largest header accepted: 1 MiB, about ten thousand tensors. The reference implementation allows 100 MB, but a
     * header that size cost 24 times its size in heap here; a KnetJ model's header takes a few kilobytes, and a PyTorch
     * checkpoint of a model KnetJ can hold a few hundred.
     */
    static final long MAX_HEADER = 1L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafeTensors() {}

    /** The tensors and metadata of a file, tensors in the order of their data. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    /** Writes the tensors (float32 as F32, float64 as F64) and the metadata to {@code path}, atomically. */
    public static void save(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach((k, v) -> meta.put(k, v));
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty() || name.equals("__metadata__"))
                throw new IllegalArgumentException("SafeTensors.save: invalid tensor name '" + name + "' for " + path);
            Tensor t = e.getValue();
            ObjectNode info = header.putObject(name);
            info.put("dtype", t.dtype() == DType.FLOAT32 ? "F32" : "F64");
            ArrayNode shape = info.putArray("shape");
            for (int d : t.shape().dims()) shape.add(d);
            long bytes = t.size() * t.dtype().bytes();
            info.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        // Padding with spaces to a multiple of 8 keeps the data aligned for readers that map the file.
        int padded = (json.length + 7) / 8 * 8;
        byte[] head = new byte[8 + padded];
        ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        System.arraycopy(json, 0, head, 8, json.length);
        java.util.Arrays.fill(head, 8 + json.length, head.length, (byte) ' ');
        AtomicFiles.write(path, out -> {
            out.write(head);
            for (Tensor t : tensors.values()) out.write(littleEndian(t));
        });
    }

    private static byte[] littleEndian(Tensor t) {
        int n = t.shape().sizeInt();
        ByteBuffer buf = ByteBuffer.allocate(Math.multiplyExact(n, t.dtype().bytes())).order(ByteOrder.LITTLE_ENDIAN);
        if (t.dtype() == DType.FLOAT32) buf.asFloatBuffer().put(t.toFloatArray());
        else buf.asDoubleBuffer().put(t.toDoubleArray());
        return buf.array();
    }

    /** The tensors of a file on {@code backend}, in {@code dtype} (null: F64 stays float64, every other dtype becomes float32). */
    public static Map<String, Tensor> load(Path path, Backend backend, DType dtype) throws IOException {
        return read(path, backend, dtype).tensors();
    }

    /** The metadata of a file (empty when it has none), reading only its header. */
    public static Map<String, String> metadata(Path path) throws IOException {
        try (FileChannel ch = open(path)) { return header(path, ch).metadata(); }
    }

    /** Tensors and metadata of a file; see {@link #load} for {@code dtype}. */
    public static Contents read(Path path, Backend backend, DType dtype) throws IOException {
        try (FileChannel ch = open(path)) {
            Header h = header(path, ch);
            // Each tensor fits on its own (checked with the header); all of them together must fit too, or reading
            // would run out of memory after minutes of work instead of failing now with the numbers.
            long need = 0;
            for (Entry e : h.entries()) need += (e.end - e.begin) + Shape.of(e.shape).size() * 8;
            long heap = Runtime.getRuntime().maxMemory();
            if (need > heap)
                throw new IOException(path + ": its " + h.entries().size() + " tensors need " + need + " bytes of heap to read, more than the Java heap's maximum of "
                        + heap + " (raise it with -Xmx)");
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Entry e : h.entries()) {
                ByteBuffer buf = ByteBuffer.allocate((int) (e.end - e.begin)).order(ByteOrder.LITTLE_ENDIAN);
                readFully(path, ch, buf, h.dataStart() + e.begin);
                buf.flip();
                out.put(e.name, tensor(backend, dtype, e, buf));
            }
            return new Contents(out, h.metadata());
        }
    }

    private static FileChannel open(Path path) throws IOException {
        // Only a regular file is opened: opening a FIFO blocks until a writer comes, which may be never.
        if (Files.exists(path) && !Files.isRegularFile(path))
            throw new IOException(path + ": not a regular file (" + ReadableFiles.kind(path) + "); expected a safetensors file");
        try {
            return FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "safetensors file not found");
        }
    }

    /** One tensor's header entry, validated. */
    private record Entry(String name, String dtype, int[] shape, long begin, long end) {}

    private record Header(List<Entry> entries, Map<String, String> metadata, long dataStart) {}

    /** Reads and validates the header against the file's size. */
    private static Header header(Path path, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) throw corrupt(path, "the file has " + size + " bytes, fewer than the 8 of the header length (truncated?)");
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(path, ch, lenBuf, 0);
        long n = lenBuf.flip().getLong();
        if (n < 2 || n > size - 8)
            throw corrupt(path, "header length " + Long.toUnsignedString(n) + " is impossible for a file of " + size + " bytes"
                    + (n > size - 8 || n < 0 ? " (truncated, or not a safetensors file)" : ""));
        if (n > MAX_HEADER)
            throw corrupt(path, "header length " + n + " exceeds KnetJ's limit of " + MAX_HEADER + " bytes (about "
                    + MAX_HEADER / 100 + " tensors; a model KnetJ trains needs a few kilobytes)");
        ByteBuffer hb = ByteBuffer.allocate((int) n);
        readFully(path, ch, hb, 8);
        HeaderParser.Parsed parsed = HeaderParser.parse(path.toString(), hb.array());
        List<Entry> entries = new ArrayList<>();
        for (HeaderParser.Info i : parsed.tensors()) entries.add(entry(path, i));
        long buffer = size - 8 - n;
        entries.sort(Comparator.comparingLong(Entry::begin));
        long expected = 0;
        String previous = null;
        for (Entry e : entries) {
            if (e.begin != expected)
                throw corrupt(path, "tensor '" + e.name + "' starts at byte " + e.begin + " of the data, expected " + expected
                        + (previous == null ? "" : " (right after '" + previous + "')") + ": offsets overlap or leave a gap");
            if (e.end > buffer)
                throw corrupt(path, "tensor '" + e.name + "' ends at byte " + e.end + " but the data has only " + buffer + " bytes (truncated file?)");
            expected = e.end;
            previous = e.name;
        }
        if (expected != buffer)
            throw corrupt(path, "the tensors cover " + expected + " bytes of data but the file holds " + buffer + " after the header"
                    + (expected < buffer ? " (trailing bytes)" : ""));
        return new Header(entries, parsed.metadata(), 8 + n);
    }

    private static Entry entry(Path path, HeaderParser.Info info) throws IOException {
        String name = info.name(), dtype = info.dtype();
        int bytes = switch (dtype) {
            case "F64" -> 8;
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            default -> throw new IOException(path + ": tensor '" + HeaderParser.shorten(name) + "' has dtype " + HeaderParser.shorten(dtype)
                    + ", which KnetJ does not support (supported: F32, F64, and F16/BF16 read as float32)");
        };
        long[] sh = info.shape();
        int[] shape = new int[sh.length];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            if (sh[i] < 0 || sh[i] > Integer.MAX_VALUE) throw corrupt(path, "tensor '" + name + "' has an invalid shape " + java.util.Arrays.toString(sh));
            shape[i] = (int) sh[i];
            count *= shape[i];   // both factors stay below 2^31 here, so this cannot overflow
            if (count > Integer.MAX_VALUE - 8) throw corrupt(path, "tensor '" + name + "' of shape " + java.util.Arrays.toString(sh) + " has more elements than KnetJ can hold");
        }
        // Read into one Java array, then converted: the bytes must fit an array, and bytes and elements the heap.
        long need = count * bytes, heap = Runtime.getRuntime().maxMemory();
        if (need > Integer.MAX_VALUE - 8)
            throw new IOException(path + ": tensor '" + name + "' of shape " + java.util.Arrays.toString(sh) + " needs " + need
                    + " bytes, more than one Java array holds");
        if (need + count * 8 > heap)
            throw new IOException(path + ": tensor '" + name + "' of shape " + java.util.Arrays.toString(sh) + " needs " + (need + count * 8)
                    + " bytes of heap to read, more than the Java heap's maximum of " + heap + " (raise it with -Xmx)");
        long begin = info.begin(), end = info.end();
        String off = "[" + begin + ", " + end + "]";
        if (begin < 0 || end < begin) throw corrupt(path, "tensor '" + name + "' has data_offsets " + off + ", expected 0 ≤ begin ≤ end");
        if (end - begin != count * bytes)
            throw corrupt(path, "tensor '" + name + "' of shape " + java.util.Arrays.toString(sh) + " and dtype " + dtype + " needs " + count * bytes
                    + " bytes but its data_offsets " + off + " span " + (end - begin));
        return new Entry(name, dtype, shape, begin, end);
    }

    private static Tensor tensor(Backend backend, DType target, Entry e, ByteBuffer buf) {
        int n = (int) ((e.end - e.begin) / switch (e.dtype) { case "F64" -> 8; case "F32" -> 4; default -> 2; });
        DType to = target != null ? target : e.dtype.equals("F64") ? DType.FLOAT64 : DType.FLOAT32;
        Shape shape = Shape.of(e.shape);
        if (to == DType.FLOAT32) {
            float[] f = new float[n];
            switch (e.dtype) {
                case "F64" -> { for (int i = 0; i < n; i++) f[i] = (float) buf.getDouble(); }
                case "F32" -> buf.asFloatBuffer().get(f);
                case "F16" -> { for (int i = 0; i < n; i++) f[i] = Float.float16ToFloat(buf.getShort()); }
                default -> { for (int i = 0; i < n; i++) f[i] = Float.intBitsToFloat((buf.getShort() & 0xffff) << 16); }
            }
            return backend.memory().fromArray(f, shape);
        }
        double[] d = new double[n];
        switch (e.dtype) {
            case "F64" -> buf.asDoubleBuffer().get(d);
            case "F32" -> { for (int i = 0; i < n; i++) d[i] = buf.getFloat(); }
            case "F16" -> { for (int i = 0; i < n; i++) d[i] = Float.float16ToFloat(buf.getShort()); }
            default -> { for (int i = 0; i < n; i++) d[i] = Float.intBitsToFloat((buf.getShort() & 0xffff) << 16); }
        }
        return backend.memory().fromArray(d, shape, to);
    }

    private static void readFully(Path path, FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) throw corrupt(path, "the file ended at byte " + pos + " while reading (truncated?)");
            pos += r;
        }
    }

    static IOException corrupt(Path path, String why) { return new IOException(path + ": corrupt safetensors file: " + why); }
}
