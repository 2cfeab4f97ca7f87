package io.github.knetj.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code ./knetj help [command...]}: the overview, or the help of one command ({@code ./knetj help train lenet}). */
@Command(name = "help", description = "The overview, or one command's options: ./knetj help train lenet")
final class HelpCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Parameters(arity = "0..*", paramLabel = "COMMAND", description = "a command and its subcommand, as in: train lenet") List<String> words;

    @Override public Integer call() {
        CommandLine cmd = spec.root().commandLine();
        for (String w : words == null ? List.<String>of() : words) {
            CommandLine sub = cmd.getSubcommands().get(w);
            if (sub == null)
                throw new CommandLine.ParameterException(spec.commandLine(), "help: no command '" + w + "' under '" + Outcome.name(cmd)
                        + "' (known: " + String.join(", ", cmd.getSubcommands().keySet()) + ")");
            cmd = sub;
        }
        cmd.usage(spec.commandLine().getOut());
        spec.commandLine().getOut().flush();
        System.out.println(new Json().put("command", "help").put("status", "ok").put("topic", Outcome.name(cmd)));
        return Outcome.OK;
    }
}
