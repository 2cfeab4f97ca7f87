package io.github.knetj.layers.rnn;

import io.github.knetj.autograd.RNNOps;

/**
 * Gated recurrent unit, PyTorch's gates r,z,n: r,z = σ(W_i· x_t + b_i· + W_h· h + b_h·),
 * n = tanh(W_in x_t + b_in + r⊙(W_hn h + b_hn)), h' = (1−z)⊙n + z⊙h.
 * {@code new GRU(8, 16)} prints as {@code GRU(8 => 16, layers=1, bidirectional=false)}.
 */
public final class GRU extends Recurrent {
    public GRU(int inputSize, int hiddenSize) { this(inputSize, hiddenSize, RNNConfig.defaults()); }

    public GRU(int inputSize, int hiddenSize, RNNConfig config) { super(RNNOps.Cell.GRU, inputSize, hiddenSize, config); }
}
