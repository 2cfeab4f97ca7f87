package io.github.knetj.layers.rnn;

import io.github.knetj.api.Tensor;
import io.github.knetj.layers.Embed;

/**
 * The options of a recurrent layer beyond its sizes: stacked layers, both directions, dropout between layers, an
 * embedding so that token ids can be fed directly (given by its size, a new table of the layer's input size, or as
 * an existing {@link Embed} layer), and Knet's {@code rnninit} options: {@code skipInput}, {@code winit},
 * {@code binit}, {@code finit} and {@code seed}. Start from {@link #defaults()}:
 * <pre>{@code new LSTM(vocab, 512, RNNConfig.defaults().embed(256).layers(2).dropout(0.1).finit(1))}</pre>
 *
 * @param layers        number of stacked layers, ≥ 1
 * @param bidirectional whether each layer also reads its input backwards (outputs concatenated, 2·H wide)
 * @param dropout       dropout probability on the output of every layer but the last, while training
 * @param embedSize     size of a new embedding of the input ids, 0 for none
 * @param embed         an existing embedding layer, or null
 * @param skipInput     Knet's (and cuDNN's) skipInput: the first layer has no input weights, its input (as wide as
 *                      the hidden state) is added to every gate as it is
 * @param winit         fills the weight matrices from their dims, or null for PyTorch's uniform ±1/√H
 * @param binit         fills the bias vectors from their dims, or null for PyTorch's uniform ±1/√H
 * @param finit         an LSTM's forget-gate biases (both b_ih and b_hh, as Knet sets them), or NaN to leave them to binit
 * @param seed          a seed of the layer's own for its initial weights (Knet's {@code seed}), or null to draw from
 *                      {@link io.github.knetj.layers.Init}'s global stream
 */
public record RNNConfig(int layers, boolean bidirectional, double dropout, int embedSize, Embed embed,
                        boolean skipInput, Filler winit, Filler binit, double finit, Long seed) {
    /** Makes a tensor of the given dims on the default backend and dtype ({@code Init::xavierUniform}, {@code Init::zeros}). */
    @FunctionalInterface
    public interface Filler { Tensor fill(int... dims); }

    public RNNConfig {
        if (layers < 1) throw new IllegalArgumentException("RNNConfig: layers must be >= 1, got " + layers);
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("RNNConfig: dropout must be in [0, 1), got " + dropout);
        if (embedSize < 0) throw new IllegalArgumentException("RNNConfig: embed size must be >= 0, got " + embedSize);
        if (embedSize > 0 && embed != null) throw new IllegalArgumentException("RNNConfig: give an embedding size or an Embed layer, not both");
    }

    /** One layer, one direction, no dropout, no embedding, PyTorch's initialisation. */
    public static RNNConfig defaults() { return new RNNConfig(1, false, 0, 0, null, false, null, null, Double.NaN, null); }

    public RNNConfig layers(int n) { return new RNNConfig(n, bidirectional, dropout, embedSize, embed, skipInput, winit, binit, finit, seed); }

    public RNNConfig bidirectional(boolean on) { return new RNNConfig(layers, on, dropout, embedSize, embed, skipInput, winit, binit, finit, seed); }

    public RNNConfig dropout(double p) { return new RNNConfig(layers, bidirectional, p, embedSize, embed, skipInput, winit, binit, finit, seed); }

    /** A new embedding of this size: the input is then token ids below the layer's input size. */
    public RNNConfig embed(int size) { return new RNNConfig(layers, bidirectional, dropout, size, null, skipInput, winit, binit, finit, seed); }

    /** This embedding layer: the input is token ids below its vocabulary size. */
    public RNNConfig embed(Embed layer) { return new RNNConfig(layers, bidirectional, dropout, 0, layer, skipInput, winit, binit, finit, seed); }

    /** Knet's skipInput: no input weights in the first layer, whose input must be as wide as the hidden state. */
    public RNNConfig skipInput(boolean on) { return new RNNConfig(layers, bidirectional, dropout, embedSize, embed, on, winit, binit, finit, seed); }

    /** Knet's winit: how weight matrices start. */
    public RNNConfig winit(Filler f) { return new RNNConfig(layers, bidirectional, dropout, embedSize, embed, skipInput, f, binit, finit, seed); }

    /** Knet's binit: how bias vectors start. */
    public RNNConfig binit(Filler f) { return new RNNConfig(layers, bidirectional, dropout, embedSize, embed, skipInput, winit, f, finit, seed); }

    /** Knet's finit: an LSTM's forget-gate biases start at this value (Knet's default is 1 there; here unset). */
    public RNNConfig finit(double value) { return new RNNConfig(layers, bidirectional, dropout, embedSize, embed, skipInput, winit, binit, value, seed); }

    /** Knet's seed: the layer's initial weights come from this seed alone. */
    public RNNConfig seed(long s) { return new RNNConfig(layers, bidirectional, dropout, embedSize, embed, skipInput, winit, binit, finit, s); }
}
