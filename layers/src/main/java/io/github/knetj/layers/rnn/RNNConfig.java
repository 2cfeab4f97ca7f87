package io.github.knetj.layers.rnn;

import io.github.knetj.layers.Embed;

/**
 * The options of a recurrent layer beyond its sizes: stacked layers, both directions, dropout between layers, and an
 * embedding so that token ids can be fed directly, given by its size (a new table, vocabulary = the layer's input
 * size) or as an existing {@link Embed} layer. Start from {@link #defaults()}:
 * <pre>{@code new LSTM(vocab, 512, RNNConfig.defaults().embed(256).layers(2).dropout(0.1))}</pre>
 *
 * @param layers        number of stacked layers, ≥ 1
 * @param bidirectional whether each layer also reads its input backwards (outputs concatenated, 2·H wide)
 * @param dropout       dropout probability on the output of every layer but the last, while training
 * @param embedSize     size of a new embedding of the input ids, 0 for none
 * @param embed         an existing embedding layer, or null
 */
public record RNNConfig(int layers, boolean bidirectional, double dropout, int embedSize, Embed embed) {
    public RNNConfig {
        if (layers < 1) throw new IllegalArgumentException("RNNConfig: layers must be >= 1, got " + layers);
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("RNNConfig: dropout must be in [0, 1), got " + dropout);
        if (embedSize < 0) throw new IllegalArgumentException("RNNConfig: embed size must be >= 0, got " + embedSize);
        if (embedSize > 0 && embed != null) throw new IllegalArgumentException("RNNConfig: give an embedding size or an Embed layer, not both");
    }

    /** One layer, one direction, no dropout, no embedding. */
    public static RNNConfig defaults() { return new RNNConfig(1, false, 0, 0, null); }

    public RNNConfig layers(int n) { return new RNNConfig(n, bidirectional, dropout, embedSize, embed); }

    public RNNConfig bidirectional(boolean on) { return new RNNConfig(layers, on, dropout, embedSize, embed); }

    public RNNConfig dropout(double p) { return new RNNConfig(layers, bidirectional, p, embedSize, embed); }

    /** A new embedding of this size: the input is then token ids below the layer's input size. */
    public RNNConfig embed(int size) { return new RNNConfig(layers, bidirectional, dropout, size, null); }

    /** This embedding layer: the input is token ids below its vocabulary size. */
    public RNNConfig embed(Embed layer) { return new RNNConfig(layers, bidirectional, dropout, 0, layer); }
}
