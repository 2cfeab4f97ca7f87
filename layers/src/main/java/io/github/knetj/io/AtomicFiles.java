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
 * the target in one atomic rename (and deleted if anything fails, or if the JVM is stopped meanwhile).
 */
public final class AtomicFiles {
    /**
     * Temporary files being written now. A run stopped by Ctrl-C or a kill skips every finally block, so a shutdown
     * hook removes what is left here: no half-written ".name.123.tmp" outlives an interrupted save or download.
     */
    private static final java.util.Set<Path> IN_FLIGHT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path p : IN_FLIGHT) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // the JVM is going down: nothing better to do than leave it
                }
            }
        }, "knetj-temp-files"));
    }

    private AtomicFiles() {}

    /** A producer of a file's bytes. */
    @FunctionalInterface
    public interface Writer { void writeTo(OutputStream out) throws IOException; }

    /** Writes {@code target} atomically with what {@code writer} produces; parent directories are created. */
    public static void write(Path target, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        refuseNonRegular(abs);
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
            discard(tmp);
        }
    }

    /** Deletes a temporary file of {@link #tempFile} if it is still there (after it was moved, it is not) and forgets it. */
    public static void discard(Path tmp) throws IOException {
        try {
            Files.deleteIfExists(tmp);
        } finally {
            IN_FLIGHT.remove(tmp);
        }
    }

    /**
     * Checks, before any work whose result would go to {@code target}, that it can be written: the nearest existing directory
     * on its path is writable and it is absent or a regular file. A read-only location was once found only after a whole
     * training run, and {@code --save /dev/full} run as root replaced the device node with a regular file.
     */
    public static void checkTarget(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null) throw new IOException(target + ": cannot write a file at the root of the file system");
        // Missing directories are made when the file is written; the nearest one that exists must take them.
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) throw new IOException(target + ": no part of " + dir + " exists");
        if (!Files.isDirectory(existing)) throw new IOException(target + ": " + existing + " is not a directory");
        if (Files.isDirectory(abs)) throw new IOException(target + " is a directory; expected a file name");
        refuseNonRegular(abs);
        // Permission bits do not tell (root may write anywhere but a read-only or special file system), so a file is
        // made and removed: the only test that is sure.
        try {
            Files.delete(Files.createTempFile(existing, ".knetj-check.", ".tmp"));
        } catch (IOException | SecurityException e) {
            throw new IOException(target + ": cannot create a file in " + existing + " (" + (e.getMessage() == null ? e : e.getClass().getSimpleName() + ": " + e.getMessage()) + ")");
        }
    }

    /** An error when target exists and is not a regular file: only regular files are ever replaced. */
    private static void refuseNonRegular(Path target) throws IOException {
        if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target))
            throw new IOException(target + " exists and is not a regular file (" + ReadableFiles.kind(target) + "); only a regular file is replaced");
    }

    /** Writes {@code bytes} to {@code target} atomically. */
    public static void write(Path target, byte[] bytes) throws IOException { write(target, out -> out.write(bytes)); }

    /**
     * A new empty temporary file in dir, hidden and named after the file it will become, readable by all (rw-r--r--)
     * where the file system has POSIX permissions, as a file written directly would be.
     */
    public static Path tempFile(Path dir, String finalName) throws IOException {
        Path tmp = Files.createTempFile(dir, "." + finalName + ".", ".tmp");
        IN_FLIGHT.add(tmp);
        try {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the default permissions of a new file apply.
        } catch (IOException | RuntimeException e) {
            discard(tmp);
            throw e;
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
