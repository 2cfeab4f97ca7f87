package io.github.knetj.examples;

import io.github.knetj.api.ThreadCount;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParseResult;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ./knetj} command line: {@code train}, {@code backends}, {@code gradcheck}, {@code bench}, {@code help}.
 * Progress goes to stderr, results to stdout, and every command, successful or not, ends with exactly one JSON line on
 * stdout that has {@code command} and {@code status}. An error is one readable line on stderr (a stack trace only with
 * {@code --debug} or {@code KNETJ_DEBUG=1}) and an exit code: {@value Outcome#OK} ok, {@value Outcome#FAILED} a
 * failure (also a gradient check that found wrong gradients), {@value Outcome#USAGE} a usage error (an unknown or
 * invalid option or value), {@value Outcome#UNAVAILABLE} a backend that cannot start.
 */
@Command(name = "knetj", mixinStandardHelpOptions = true, version = "KnetJ 0.1.0",
        description = "KnetJ: Knet.jl rethought for Java. Every command ends with one JSON line on stdout.",
        subcommands = {TrainCommand.class, BackendsCommand.class, GradCheckCommand.class, BenchCommand.class, HelpCommand.class},
        footer = {"",
                "Also: ./knetj test (the whole test suite), ./knetj shell (JShell with KnetJ).",
                "Add --help to any command or model for its options and defaults:",
                "  ./knetj train lenet --help",
                "--debug (anywhere) or KNETJ_DEBUG=1 shows the stack trace of an error.",
                "Exit codes: 0 ok",
                "            1 failed (an error while running, or a gradient check failed)",
                "            2 usage (an unknown option, a bad value or file)",
                "            3 a backend that cannot start"})
public final class Main implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** {@code ./knetj} alone prints the overview, as {@code help} does. */
    @Override public void run() { Outcome.help(spec.commandLine(), System.out); }

    public static void main(String[] argv) {
        int code = run(argv, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /** Runs one command line, writing to out and err; returns the exit code. Tests call this without exiting. */
    public static int run(String[] argv, PrintStream out, PrintStream err) {
        boolean debug = "1".equals(System.getenv("KNETJ_DEBUG"));
        List<String> args = new ArrayList<>();
        for (String a : argv) {
            if (a.equals("--debug")) debug = true;
            else args.add(a);
        }
        Outcome outcome = new Outcome(out, err, debug);
        CommandLine cli = commandLine(outcome);
        try {
            // KNETJ_THREADS is read by the CPU backend whenever it first runs; a bad value is a usage error up front.
            ThreadCount.configured();
        } catch (IllegalArgumentException e) {
            return outcome.error(commandName(args), e);
        }
        try {
            return cli.execute(args.toArray(String[]::new));
        } catch (Throwable t) {
            // picocli hands exceptions to the handler above; an Error (out of memory, a class that failed to load) comes
            // here, and still ends as one line, one JSON line and an exit code.
            return outcome.error(commandName(args), t);
        }
    }

    /** The command tree with KnetJ's handlers: help ends with a JSON line, errors become one line and an exit code. */
    static CommandLine commandLine(Outcome outcome) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new java.io.PrintWriter(new java.io.OutputStreamWriter(outcome.out(), StandardCharsets.UTF_8), true));
        cli.setErr(new java.io.PrintWriter(new java.io.OutputStreamWriter(outcome.err(), StandardCharsets.UTF_8), true));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setAbbreviatedOptionsAllowed(false);
        cli.setExecutionStrategy(parsed -> execute(parsed, outcome));
        cli.setParameterExceptionHandler((e, args) -> outcome.usage(e));
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> outcome.error(Outcome.name(cmd), e));
        return cli;
    }

    private static int execute(ParseResult parsed, Outcome outcome) {
        ParseResult leaf = parsed;
        while (leaf.hasSubcommand()) leaf = leaf.subcommand();
        if (leaf.isUsageHelpRequested() || leaf.isVersionHelpRequested()) {
            CommandLine.executeHelpRequest(parsed);
            outcome.out().println(new Json().put("command", Outcome.name(leaf.commandSpec().commandLine())).put("status", "ok").put("help", true));
            return Outcome.OK;
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    /** "train lenet" from the words of a command line, for errors found before parsing. */
    private static String commandName(List<String> args) {
        StringBuilder sb = new StringBuilder();
        for (String a : args) {
            if (a.startsWith("-") || sb.length() > 40) break;
            sb.append(sb.isEmpty() ? "" : " ").append(a);
        }
        return sb.isEmpty() ? "knetj" : sb.toString();
    }
}
