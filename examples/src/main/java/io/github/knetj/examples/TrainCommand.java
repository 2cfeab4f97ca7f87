package io.github.knetj.examples;

import io.github.knetj.examples.rnn.CharLM;
import io.github.knetj.examples.rnn.Seq2Seq;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/**
 * {@code ./knetj train lenet|mlp|charlm|seq2seq [options]}: each model is a subcommand with its own options and
 * defaults ({@code ./knetj train lenet --help}), so an option a model does not take is refused for it.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model: lenet or mlp on MNIST, charlm on a text, seq2seq on digit sequences.",
        subcommands = {MnistTrain.Lenet.class, MnistTrain.Mlp.class, CharLM.class, Seq2Seq.class})
final class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** {@code ./knetj train} without a model. */
    @Override public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "train: expected a model: lenet, mlp, charlm or seq2seq");
    }
}
