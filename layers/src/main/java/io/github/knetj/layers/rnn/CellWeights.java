package io.github.knetj.layers.rnn;

import io.github.knetj.autograd.AutoGrad.Param;

/**
 * The parameters of one layer and direction of a recurrent layer, PyTorch's layout: {@code wIh} (G·H, in) and
 * {@code wHh} (G·H, H) stack the G gates (LSTM i,f,g,o; GRU r,z,n; RNN one), {@code bIh} and {@code bHh} (G·H) are
 * the input and hidden biases. {@link GatesView} reads and writes them gate by gate. {@code wIh} is null in the first
 * layer of a layer made with {@link RNNConfig#skipInput}.
 */
public record CellWeights(Param wIh, Param wHh, Param bIh, Param bHh) {
    @Override public String toString() {
        return "CellWeights(wIh=" + (wIh == null ? "none (skipInput)" : wIh.shape()) + ", wHh=" + wHh.shape() + ", bIh=" + bIh.shape() + ", bHh=" + bHh.shape() + ")";
    }
}
