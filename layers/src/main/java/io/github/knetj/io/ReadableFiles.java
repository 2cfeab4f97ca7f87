package io.github.knetj.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Checks on files a user names for reading: they must be regular files. A FIFO blocks the reader until some writer
 * opens it (a {@code --load} of one hung forever), a directory or a device is never a model or a data set, and each
 * gets an error that says which path and what it is instead.
 */
public final class ReadableFiles {
    private ReadableFiles() {}

    /** path, when it is a readable regular file (symbolic links followed); otherwise an IOException naming it and why. */
    public static Path regular(Path path, String what) throws IOException {
        if (!Files.exists(path)) throw new NoSuchFileException(path.toString(), null, what + " not found");
        if (!Files.isRegularFile(path)) throw new IOException(path + ": not a regular file (" + kind(path) + "); expected " + what);
        if (!Files.isReadable(path)) throw new IOException(path + ": not readable (permission denied); expected " + what);
        return path;
    }

    /** "a directory", "a FIFO or device", "a broken symbolic link": what a path that is not a regular file is. */
    static String kind(Path path) {
        if (Files.isDirectory(path)) return "a directory";
        if (Files.isSymbolicLink(path) && !Files.exists(path)) return "a broken symbolic link";
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) return "a FIFO, socket or device";
        return "missing";
    }
}
