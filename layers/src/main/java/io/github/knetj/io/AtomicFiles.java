package io.github.knetj.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Atomic file writes: readers see either the old file or the complete new one, never a half-written file. The
 * bytes go to a temporary file in the same directory, are forced to disk, and the temporary file is then moved over
 * the target in one atomic rename (and deleted if anything fails).
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** A producer of a file's bytes. */
    @FunctionalInterface
    public interface Writer { void writeTo(OutputStream out) throws IOException; }

    /** Writes {@code target} atomically with what {@code writer} produces; parent directories are created. */
    public static void write(Path target, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = tempFile(dir, abs.getFileName().toString());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
                writer.writeTo(out);
                out.flush();
                ch.force(true);
            }
            moveAtomically(tmp, abs);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes {@code bytes} to {@code target} atomically. */
    public static void write(Path target, byte[] bytes) throws IOException { write(target, out -> out.write(bytes)); }

    /**
     * A new empty temporary file in dir, hidden and named after the file it will become, readable by all (rw-r--r--)
     * where the file system has POSIX permissions, as a file written directly would be.
     */
    public static Path tempFile(Path dir, String finalName) throws IOException {
        Path tmp = Files.createTempFile(dir, "." + finalName + ".", ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the default permissions of a new file apply.
        }
        return tmp;
    }

    /** Moves a finished file from the same file system over {@code target} in one rename. */
    public static void moveAtomically(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + target + " atomically (" + e.getMessage() + "); write it on a local file system", e);
        }
    }
}
