package io.github.knetj.layers.rnn;

import io.github.knetj.api.DType;
import io.github.knetj.autograd.AutoGrad.Param;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;

import static io.github.knetj.layers.rnn.RNNTesting.flat;
import static io.github.knetj.layers.rnn.RNNTesting.gradcheck;
import static io.github.knetj.layers.rnn.RNNTesting.input;
import static io.github.knetj.layers.rnn.RNNTesting.on;

/**
 * Gradient properties through every recurrent layer, float64, on every backend: dense input with initial states,
 * two bidirectional layers, and ragged unsorted batches of token ids through an embedding (looked up, or with the
 * embedding table projected when the batch has at least twice as many tokens as the vocabulary).
 */
class RecurrentGradientTest {
    private static final RNNConfig TWO_BIDIRECTIONAL = RNNConfig.defaults().layers(2).bidirectional(true);
    /** Unsorted lengths 2, 3, 1: sorting, padding and unsorting are all inside the checked function. */
    private static final List<int[]> RAGGED = List.of(new int[]{1, 4}, new int[]{0, 2, 3}, new int[]{4});

    @ParameterizedTest @MethodSource("io.github.knetj.layers.rnn.RNNTesting#backends")
    void denseWithInitialStates(String backend) {
        on(backend, DType.FLOAT64, () -> {
            List<Recurrent> layers = List.of(new LSTM(2, 2, TWO_BIDIRECTIONAL), new GRU(2, 2, TWO_BIDIRECTIONAL),
                    new RNN(2, 2, "tanh", TWO_BIDIRECTIONAL), new RNN(2, 2, "relu", TWO_BIDIRECTIONAL));
            for (Recurrent layer : layers) {
                Param x = input(3, 3, 2), h0 = input(4, 3, 2), c0 = input(4, 3, 2);
                boolean lstm = layer instanceof LSTM;
                Map<String, Param> extra = lstm ? Map.of("x", x, "h0", h0, "c0", c0) : Map.of("x", x, "h0", h0);
                gradcheck("dense", layer, extra, () -> flat(layer.forward(x, h0, lstm ? c0 : null)));
            }
        });
    }

    @ParameterizedTest @MethodSource("io.github.knetj.layers.rnn.RNNTesting#backends")
    void raggedTokenBatches(String backend) {
        on(backend, DType.FLOAT64, () -> checkRagged("ragged", 5, RAGGED));
    }

    /** The same with 12 steps of a 3-token vocabulary: the first layer projects the embedding table (RNNOps.runTokens). */
    @ParameterizedTest @MethodSource("io.github.knetj.layers.rnn.RNNTesting#backends")
    void raggedTokenBatchesThroughTheProjectedTable(String backend) {
        on(backend, DType.FLOAT64, () -> checkRagged("ragged, projected table", 3, List.of(new int[]{1, 2, 0}, new int[]{0, 2, 2, 1}, new int[]{2, 1})));
    }

    /** Every cell's two bidirectional layers over a batch of three token sequences of a vocabulary, from initial states. */
    private static void checkRagged(String what, int vocab, List<int[]> batch) {
        RNNConfig config = TWO_BIDIRECTIONAL.embed(2);
        List<Recurrent> layers = List.of(new LSTM(vocab, 2, config), new GRU(vocab, 2, config), new RNN(vocab, 2, "tanh", config),
                new RNN(vocab, 2, "relu", config));
        for (Recurrent layer : layers) {
            Param h0 = input(4, 3, 2), c0 = input(4, 3, 2);
            boolean lstm = layer instanceof LSTM;
            Map<String, Param> extra = lstm ? Map.of("h0", h0, "c0", c0) : Map.of("h0", h0);
            gradcheck(what, layer, extra, () -> flat(layer.forward(batch, h0, lstm ? c0 : null)));
        }
    }
}
