package io.github.knetj.examples;

import io.github.knetj.examples.gpt.CharGpt;
import io.github.knetj.examples.rnn.CharLM;
import io.github.knetj.examples.rnn.Seq2Seq;
import io.github.knetj.examples.zoo.Gan;
import io.github.knetj.examples.zoo.LinearRegression;
import io.github.knetj.examples.zoo.MnistCnn;
import io.github.knetj.examples.zoo.ResNet;
import io.github.knetj.examples.zoo.SoftmaxRegression;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/**
 * {@code ./knetj train MODEL [options]}: each model is a subcommand with its own options and defaults
 * ({@code ./knetj train lenet --help}), so an option a model does not take is refused for it. The models: lenet and mlp
 * on MNIST, charlm and seq2seq (recurrent), the zoo's softmax, mnist-cnn, resnet, linreg and gan, and gpt.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model: lenet or mlp on MNIST, charlm on a text, seq2seq on digit sequences; the zoo's softmax, "
                + "mnist-cnn (MNIST), resnet (Fashion-MNIST), linreg (Auto MPG) and gan (MNIST); gpt, a character-level transformer on a text.",
        subcommands = {MnistTrain.Lenet.class, MnistTrain.Mlp.class, CharLM.class, Seq2Seq.class,
                SoftmaxRegression.class, MnistCnn.class, ResNet.Train.class, LinearRegression.class, Gan.class, CharGpt.class})
final class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** {@code ./knetj train} without a model. */
    @Override public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "train: expected a model: lenet, mlp, charlm, seq2seq, softmax, mnist-cnn, resnet, linreg, gan or gpt");
    }
}
