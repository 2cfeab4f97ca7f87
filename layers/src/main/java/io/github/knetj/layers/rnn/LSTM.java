package io.github.knetj.layers.rnn;

import io.github.knetj.autograd.RNNOps;

/**
 * Long short-term memory, PyTorch's gates i,f,g,o: i,f,o = σ(·), g = tanh(·) of W_ih x_t + b_ih + W_hh h + b_hh;
 * c' = f⊙c + i⊙g; h' = o⊙tanh(c'). {@link RNNOutput#memory()} holds the final cell states.
 * {@code new LSTM(256, 512)} prints as {@code LSTM(256 => 512, layers=1, bidirectional=false)}.
 */
public final class LSTM extends Recurrent {
    public LSTM(int inputSize, int hiddenSize) { this(inputSize, hiddenSize, RNNConfig.defaults()); }

    public LSTM(int inputSize, int hiddenSize, RNNConfig config) { super(RNNOps.Cell.LSTM, inputSize, hiddenSize, config); }
}
