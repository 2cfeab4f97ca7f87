package io.github.knetj.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * The reader of the idx format of the original MNIST files (raw or gzip-compressed, told apart by their first bytes): two zero
 * bytes, the type code 0x08 (unsigned bytes), the number of dimensions, each dimension as a big-endian int, then the
 * data. The length must match the dimensions exactly, so a truncated file is an error naming what is missing, and no
 * more than the data actually present is ever allocated.
 */
public final class Idx {
    private Idx() {}

    /**
     * The contents of one idx file.
     *
     * @param dims   the dimensions from its header (60000, 28, 28 for the training images)
     * @param data   the unsigned bytes, row-major
     * @param sha256 the SHA-256 of the uncompressed idx content (header and data), lower-case hex
     */
    public record Array(int[] dims, byte[] data, String sha256) {
        /** The number of elements. */
        public int size() { return data.length; }

        @Override public String toString() { return "Idx.Array" + Arrays.toString(dims); }
    }

    /** The most uncompressed bytes {@link #read(Path)} accepts: 256 MiB, five times MNIST's largest file. */
    public static final long DEFAULT_MAX_BYTES = 256L << 20;

    /** Reads an idx file, raw or gzip, of at most {@link #DEFAULT_MAX_BYTES} uncompressed; errors name the file and what is wrong with it. */
    public static Array read(Path path) throws IOException { return read(path, DEFAULT_MAX_BYTES); }

    /**
     * Reads an idx file, raw or gzip, whose uncompressed content (header and data) is at most {@code maxBytes}. A header
     * that announces more is refused before any data is inflated: a gzip bomb of 4 MB that inflates to 1 GB once
     * allocated 2 GB before its checksum could reject it.
     */
    public static Array read(Path path, long maxBytes) throws IOException {
        if (!Files.exists(path)) throw new NoSuchFileException(path.toString(), null, "idx file not found");
        io.github.knetj.io.ReadableFiles.regular(path, "an idx file");
        long fileSize = Files.size(path);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
            return read(in, path.toString(), gzip ? -1 : fileSize, maxBytes);
        } catch (java.util.zip.ZipException | EOFException e) {
            throw new IOException(path + ": corrupt or truncated gzip data (" + e.getMessage() + "); delete the file to fetch it again", e);
        }
    }

    /** Reads idx content from a stream; {@code knownLength} is the stream's length when known (raw files), else -1. */
    static Array read(InputStream stream, String what, long knownLength) throws IOException {
        return read(stream, what, knownLength, DEFAULT_MAX_BYTES);
    }

    /** The same, refusing content longer than {@code maxBytes} before reading its data. */
    static Array read(InputStream stream, String what, long knownLength, long maxBytes) throws IOException {
        MessageDigest sha = sha256();
        DigestInputStream in = new DigestInputStream(stream, sha);
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) throw new IOException(what + ": truncated idx file: " + magic.length + " bytes, fewer than the 4-byte magic number");
        if (magic[0] != 0 || magic[1] != 0)
            throw new IOException(what + ": not an idx file (magic number " + HexFormat.of().formatHex(magic) + ", expected 0000 08 0n)");
        if (magic[2] != 0x08)
            throw new IOException(what + ": idx type code 0x" + HexFormat.of().toHexDigits(magic[2]) + " is not supported (only 0x08, unsigned bytes, as in MNIST)");
        int rank = magic[3] & 0xff;
        if (rank < 1 || rank > 4) throw new IOException(what + ": idx file with " + rank + " dimensions, expected 1 to 4");
        byte[] dimBytes = in.readNBytes(4 * rank);
        if (dimBytes.length < 4 * rank) throw new IOException(what + ": truncated idx header (" + (4 + dimBytes.length) + " bytes)");
        int[] dims = new int[rank];
        long n = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = java.nio.ByteBuffer.wrap(dimBytes, 4 * i, 4).getInt();
            if (dims[i] < 0) throw new IOException(what + ": negative dimension in idx header " + Arrays.toString(dims));
            n *= dims[i];
            if (n > Integer.MAX_VALUE - 8) throw new IOException(what + ": idx dimensions " + Arrays.toString(Arrays.copyOf(dims, i + 1)) + " are too large");
        }
        long headerLength = 4 + 4L * rank;
        if (headerLength + n > maxBytes)
            throw new IOException(what + ": its header " + Arrays.toString(dims) + " announces " + (headerLength + n) + " bytes, more than the "
                    + maxBytes + " expected of this file; delete it to fetch it again");
        if (knownLength >= 0 && knownLength != headerLength + n)
            throw new IOException(what + ": " + (knownLength < headerLength + n ? "truncated" : "has trailing bytes") + ": its header "
                    + Arrays.toString(dims) + " needs " + (headerLength + n) + " bytes, the file has " + knownLength
                    + "; delete it to fetch it again");
        // A raw file's length is checked above, so its data is allocated whole and read in place; a gzip stream's
        // buffer grows with what is read, so a lying header cannot force a huge allocation.
        byte[] data;
        if (knownLength >= 0) {
            data = new byte[(int) n];
            int read = in.readNBytes(data, 0, (int) n);
            if (read < n) data = Arrays.copyOf(data, read);   // the file shrank since its length was checked
        } else {
            data = in.readNBytes((int) n);
        }
        if (data.length < n)
            throw new IOException(what + ": truncated: its header " + Arrays.toString(dims) + " needs " + n + " data bytes, found " + data.length
                    + "; delete it to fetch it again");
        if (in.read() >= 0) throw new IOException(what + ": has bytes after the " + n + " its header " + Arrays.toString(dims) + " announces");
        return new Array(dims, data, HexFormat.of().formatHex(sha.digest()));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256, which every Java platform must provide", e);
        }
    }
}
