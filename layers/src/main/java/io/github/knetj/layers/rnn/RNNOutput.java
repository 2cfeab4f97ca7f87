package io.github.knetj.layers.rnn;

import io.github.knetj.autograd.AutoGrad.Value;

import java.util.Arrays;

/**
 * What a recurrent layer returns (KnetLayers' {@code RNNOutput}): {@code y} (B,T,D·H) every step's output of the last
 * layer, both directions side by side; {@code hidden} (L·D,B,H) the final hidden state of every layer and direction
 * (PyTorch's order: layer 0 forward, layer 0 reverse, layer 1 forward, ...); {@code memory} the same for the LSTM cell
 * state (null for RNN and GRU); and {@code indices}, for a ragged batch only, the caller's index of each sequence in
 * order of decreasing length (the order it ran in; null otherwise).
 * <p>
 * Results are always in the caller's batch order. For a ragged batch, y is zero past each sequence's end and the final
 * states are those at each sequence's own last element (its first, for the reverse direction).
 */
public record RNNOutput(Value y, Value hidden, Value memory, int[] indices) {
    @Override public String toString() {
        return "RNNOutput(y=" + y.shape() + ", hidden=" + hidden.shape() + ", memory=" + (memory == null ? "none" : memory.shape())
                + (indices == null ? "" : ", indices=" + Arrays.toString(indices)) + ")";
    }
}
