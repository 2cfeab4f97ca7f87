package io.github.knetj.examples.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * One bad input of the CLI catalogue: its category (the issue's: missing, unreadable, wrong-type, truncated, oversized
 * and hostile files; out-of-range, non-numeric and conflicting options; unavailable backends), the command line (which
 * may name files made in the test's folder), the exit code it must give, and a fragment the one error line must hold:
 * the option, value or file it is about, so that the error is a clear one.
 *
 * @param category what kind of bad input this is
 * @param argv     the command line, given the temporary folder
 * @param exitCode 1 failed, 2 usage, 3 backend unavailable
 * @param says     text the stderr error line (and the JSON error) must contain
 */
record BadInput(String category, Function<Path, List<String>> argv, int exitCode, String says) {
    static BadInput of(String category, int exitCode, String says, String... argv) {
        return new BadInput(category, dir -> List.of(argv), exitCode, says);
    }

    /** A command line with "{dir}" replaced by the test's folder. */
    static BadInput in(String category, int exitCode, String says, String... argv) {
        return new BadInput(category, dir -> java.util.Arrays.stream(argv).map(a -> a.replace("{dir}", dir.toString())).toList(), exitCode,
                says);
    }

    @Override public String toString() { return category + ": " + String.join(" ", argv.apply(Path.of("{dir}"))); }
}
