package io.github.knetj.layers.rnn;

import io.github.knetj.autograd.RNNOps;

import java.util.Locale;

/**
 * The Elman RNN h' = f(W_ih x_t + b_ih + W_hh h + b_hh) with f = tanh (the default) or relu.
 * {@code RNN.relu(4, 8)} prints as {@code RNN(4 => 8, relu, layers=1, bidirectional=false)}.
 */
public final class RNN extends Recurrent {
    /** A tanh RNN. */
    public RNN(int inputSize, int hiddenSize) { this(inputSize, hiddenSize, "tanh", RNNConfig.defaults()); }

    /** An RNN whose nonlinearity is "tanh" or "relu" (PyTorch's {@code nonlinearity}). */
    public RNN(int inputSize, int hiddenSize, String nonlinearity, RNNConfig config) {
        super(cellOf(nonlinearity), inputSize, hiddenSize, config);
    }

    /** A relu RNN. */
    public static RNN relu(int inputSize, int hiddenSize) { return new RNN(inputSize, hiddenSize, "relu", RNNConfig.defaults()); }

    /** "tanh" or "relu". */
    public String nonlinearity() { return cell() == RNNOps.Cell.RNN_RELU ? "relu" : "tanh"; }

    @Override String extra() { return nonlinearity(); }

    private static RNNOps.Cell cellOf(String nonlinearity) {
        return switch (nonlinearity == null ? "" : nonlinearity.toLowerCase(Locale.ROOT)) {
            case "tanh" -> RNNOps.Cell.RNN_TANH;
            case "relu" -> RNNOps.Cell.RNN_RELU;
            default -> throw new IllegalArgumentException("RNN: nonlinearity must be \"tanh\" or \"relu\", got " + nonlinearity);
        };
    }
}
