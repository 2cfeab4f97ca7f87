package io.github.knetj.docs;

import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.layers.Chain;
import io.github.knetj.layers.Conv;
import io.github.knetj.layers.Dense;
import io.github.knetj.layers.Init;
import io.github.knetj.layers.Layers;
import io.github.knetj.layers.Linear;
import io.github.knetj.layers.Pool;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's LeNet from the library's layers: the same eight parameters as the user's version. */
class ReadmeLayersTest {
    static Chain library() {
        // tag::library[]
        Chain lenet = new Chain(
                new Conv(5, 5, 1, 20), new Pool(2),          // conv, relu, pool: 20 maps of 12×12
                new Conv(5, 5, 20, 50), new Pool(2),         // 50 maps of 4×4 = 800 numbers
                new Dense(800, 500), new Linear(500, 10));   // relu, then 10 scores
        // end::library[]
        return lenet;
    }

    @Test
    void theLibraryLeNetHasLeNetsParameters() {
        Defaults.backend(Backends.get());
        Defaults.dtype(DType.FLOAT32);
        Init.seed(1);
        Chain lenet = library();
        assertEquals(8, lenet.params().size());
        assertEquals(20 * 25 + 20 + 50 * 20 * 25 + 50 + 800 * 500 + 500 + 500 * 10 + 10, Layers.parameterCount(lenet));
    }
}
