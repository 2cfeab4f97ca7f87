package io.github.knetj.examples;

import io.github.knetj.io.AtomicFiles;
import io.github.knetj.io.ReadableFiles;

import java.io.IOException;
import java.nio.file.Path;

/** Checks of option values made before any work starts, each naming the option, the value and what was expected. */
public final class Checked {
    private Checked() {}

    /** n, when lo ≤ n ≤ hi. */
    public static int range(String option, int n, int lo, int hi) {
        if (n < lo || n > hi) throw new IllegalArgumentException(option + " " + n + ": expected " + (hi == Integer.MAX_VALUE ? "at least " + lo : "from " + lo + " to " + hi));
        return n;
    }

    /** s as a whole number, or an error naming the option, the value and what was expected. */
    public static int integer(String option, String s, String expected) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + s + "': expected " + expected);
        }
    }

    /** x, when it is finite and lo &lt; x ≤ hi. */
    public static double positive(String option, double x, double hi) {
        if (!(x > 0 && x <= hi)) throw new IllegalArgumentException(option + " " + x + ": expected a number above 0 and at most " + hi);
        return x;
    }

    /** A file to read (--load, --text): an existing, readable regular file. */
    public static Path input(String option, String file, String what) throws IOException {
        if (file.isBlank()) throw new IllegalArgumentException(option + ": expected a file name, got an empty one");
        Path p = Path.of(file);
        try {
            return ReadableFiles.regular(p, what);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException(option + " " + file + ": no such file (expected " + what + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + e.getMessage());
        }
    }

    /** A file to write at the end (--save, --plot): checked now, so that a run is not lost to a bad path after it is done. */
    public static Path output(String option, String file) {
        if (file.isBlank()) throw new IllegalArgumentException(option + ": expected a file name, got an empty one");
        Path p = Path.of(file);
        try {
            AtomicFiles.checkTarget(p);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + e.getMessage());
        }
        return p;
    }
}
