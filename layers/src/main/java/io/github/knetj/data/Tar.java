package io.github.knetj.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * A minimal tar reader for the layout of an {@code npm pack} tarball: it passes on only the regular files whose base
 * name is wanted, so fetching MNIST needs neither a tar program nor a library, and entry names cannot escape the
 * target directory.
 */
final class Tar {
    private Tar() {}

    /** Receives one wanted entry: its base name and a stream of exactly its bytes. */
    @FunctionalInterface
    interface EntryHandler { void accept(String name, InputStream content) throws IOException; }

    /** Calls handler for every regular file in the tar stream whose base name is in wanted. */
    static void extract(InputStream in, Set<String> wanted, EntryHandler handler) throws IOException {
        byte[] header = new byte[512];
        while (true) {
            int got = in.readNBytes(header, 0, 512);
            if (got == 0) return;
            if (got < 512) throw new IOException("truncated tar archive (a header of " + got + " bytes)");
            if (allZero(header)) return;
            String name = text(header, 0, 100);
            if (text(header, 257, 6).startsWith("ustar")) {
                String prefix = text(header, 345, 155);
                if (!prefix.isEmpty()) name = prefix + "/" + name;
            }
            long size = octal(header, 124, 12);
            byte type = header[156];
            String base = name.substring(name.lastIndexOf('/') + 1);
            if ((type == '0' || type == 0) && wanted.contains(base)) {
                BoundedStream content = new BoundedStream(in, size);
                handler.accept(base, content);
                content.skipRest();
            } else {
                in.skipNBytes(size);
            }
            long pad = (512 - size % 512) % 512;
            in.skipNBytes(pad);
        }
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    private static String text(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) end++;
        return new String(b, off, end - off, StandardCharsets.UTF_8).trim();
    }

    private static long octal(byte[] b, int off, int len) throws IOException {
        String s = text(b, off, len);
        try {
            long v = s.isEmpty() ? 0 : Long.parseLong(s, 8);
            if (v < 0) throw new NumberFormatException(s);
            return v;
        } catch (NumberFormatException e) {
            throw new IOException("corrupt tar archive: entry size '" + s + "' is not an octal number", e);
        }
    }

    /** At most n bytes of the underlying stream, failing on a premature end. */
    private static final class BoundedStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedStream(InputStream in, long n) { this.in = in; this.left = n; }

        @Override public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) return -1;
            int r = in.read(b, off, (int) Math.min(len, left));
            if (r < 0) throw new IOException("truncated tar archive: an entry ends " + left + " bytes early");
            left -= r;
            return r;
        }

        void skipRest() throws IOException {
            in.skipNBytes(left);
            left = 0;
        }
    }
}
