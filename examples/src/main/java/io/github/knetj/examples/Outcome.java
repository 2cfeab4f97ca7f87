package io.github.knetj.examples;

import io.github.knetj.api.BackendUnavailableException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.List;

/**
 * How a command ends when it does not end well: one readable line on stderr naming the command, the JSON line with
 * {@code "status":"error"} on stdout, and the exit code of the kind of error. The stack trace is shown only in debug
 * mode: a student who mistyped a file name needs the file name, not forty frames.
 */
record Outcome(PrintStream out, PrintStream err, boolean debug) {
    static final int OK = 0, FAILED = 1, USAGE = 2, UNAVAILABLE = 3;
    /** Messages are cut to this many characters, so that no input can make an error line without bound. */
    private static final int MAX_MESSAGE = 2000;

    /** A command line picocli could not parse: an unknown option (with the nearest known ones), a bad value, a missing model. */
    int usage(CommandLine.ParameterException e) {
        String command = name(e.getCommandLine());
        String message = e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
            List<String> unmatched = u.getUnmatched();
            String first = unmatched.isEmpty() ? "?" : unmatched.get(0);
            List<String> suggestions = u.getSuggestions();
            message = (first.startsWith("-") ? "unknown option '" + first + "'" : "unexpected argument '" + first + "'")
                    + (suggestions.isEmpty() ? "" : "; did you mean " + String.join(" or ", suggestions.stream().limit(3).toList()) + "?")
                    + " (see " + helpFor(command) + ")";
        } else if (message != null) {
            message = message.replace("\n", " ").strip() + " (see " + helpFor(command) + ")";
        }
        return report(command, "usage", message, e, USAGE);
    }

    /** An error thrown while a command ran, mapped to its exit code. */
    int error(String command, Throwable e) {
        Throwable t = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
        if (t instanceof CommandLine.ParameterException p) return usage(p);
        if (t instanceof BackendUnavailableException) return report(command, "backend", t.getMessage(), e, UNAVAILABLE);
        if (t instanceof IllegalArgumentException) return report(command, "usage", t.getMessage(), e, USAGE);
        if (t instanceof OutOfMemoryError) return report(command, "memory", "out of memory (" + t.getMessage() + "); try a smaller --batch, or more heap with -Xmx", e, FAILED);
        String prefix = e instanceof UncheckedIOException u && u.getMessage() != null && !u.getMessage().equals(String.valueOf(t)) ? u.getMessage() + ": " : "";
        return report(command, "failed", prefix + describe(t), e, FAILED);
    }

    /** A failure's message, with what a bare file-system exception leaves out (its message is often just the path). */
    static String describe(Throwable t) {
        if (t instanceof NoSuchFileException f) return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : "no such file or directory");
        if (t instanceof AccessDeniedException f) return f.getFile() + ": permission denied";
        if (t instanceof FileSystemException f)
            return (f.getFile() == null ? "" : f.getFile() + ": ") + (f.getReason() != null ? f.getReason() : t.getClass().getSimpleName());
        if (t instanceof IOException || t instanceof IllegalStateException || t instanceof UnsupportedOperationException)
            return t.getMessage() != null ? t.getMessage() : t.toString();
        // Anything else is a bug of ours: say what it is, and how to see where.
        return "internal error " + t + " (run again with --debug for the stack trace, and please report it)";
    }

    private int report(String command, String kind, String message, Throwable e, int code) {
        // One line, and no control character from a hostile value (a NUL in a path, an escape sequence) reaches the terminal.
        String line = shorten(message == null ? String.valueOf(e) : message).replace('\n', ' ').replaceAll("\\p{Cntrl}", "?");
        if (line.startsWith(command + ": ")) line = line.substring(command.length() + 2);   // "knetj train: train: ..." reads twice
        err.println((command.equals("knetj") ? "knetj: " : "knetj " + command + ": ") + line);
        if (debug) e.printStackTrace(err);
        out.println(new Json().put("command", command).put("status", "error").put("error_kind", kind).put("error", line).put("exit_code", code));
        out.flush();
        return code;
    }

    private static String shorten(String s) {
        return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "… (" + (s.length() - MAX_MESSAGE) + " more characters)";
    }

    private static String helpFor(String command) { return command.equals("knetj") ? "./knetj help" : "./knetj " + command + " --help"; }

    /** "train lenet": a command's name below the top. */
    static String name(CommandLine cmd) {
        String q = cmd.getCommandSpec().qualifiedName(" ");
        return q.startsWith("knetj ") ? q.substring(6) : q;
    }

    /** The overview: the top usage, then the JSON line. */
    static int help(CommandLine top, PrintStream out) {
        top.usage(out);
        out.println(new Json().put("command", "help").put("status", "ok"));
        return OK;
    }
}
