package io.github.knetj.docs;

import io.github.knetj.data.Minibatch;
import io.github.knetj.data.Mnist;
import io.github.knetj.layers.Chain;
import io.github.knetj.layers.Dense;
import io.github.knetj.layers.Init;
import io.github.knetj.optim.Optimizers;
import io.github.knetj.train.History;
import io.github.knetj.train.Trainer;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chapter 5, an MLP on MNIST: the samples of docs/05-mlp-mnist.md. The training code runs here on
 * {@link SyntheticDigits} (no download in the test suite); {@link #main} runs it on the real MNIST.
 */
class Chapter05Test {
    // tag::load[]
    static Mnist loadMnist() throws IOException {
        return Mnist.load();   // 11 MB, downloaded once into ~/.knetj/data/mnist (or $KNETJ_DATA/mnist) and checked
    }
    // end::load[]

    // tag::train[]
    static Trainer.Evaluation trainMlp(Mnist.Split train, Mnist.Split test, int epochs) {
        Init.seed(1);                                                      // reproducible weights
        Minibatch dtrn = Minibatch.of(train.images(), train.labels(), new int[]{784}, 100).shuffle(1);
        Minibatch dtst = Minibatch.of(test.images(), test.labels(), new int[]{784}, 100);
        Chain model = new Chain(new Dense(784, 64), new Dense(64, 10, null));   // relu hidden layer, 10 scores
        History h = new Trainer().test(dtst).fit(model, dtrn, Optimizers.sgd(0.1), epochs);
        System.out.println(h.last());
        return Trainer.evaluate(model, dtst);                              // mean cross-entropy and accuracy
    }
    // end::train[]

    // tag::main[]
    public static void main(String[] args) throws IOException {
        Mnist mnist = loadMnist();
        System.out.println(trainMlp(mnist.train(), mnist.test(), 3));
    }
    // end::main[]

    @Test
    void theMlpLearnsDigitShapedData() {
        Trainer.Evaluation e = trainMlp(SyntheticDigits.make(2000, 1), SyntheticDigits.make(500, 2), 2);
        assertEquals(500, e.examples());
        assertTrue(e.accuracy() > 0.9, "accuracy " + e.accuracy());
    }
}
