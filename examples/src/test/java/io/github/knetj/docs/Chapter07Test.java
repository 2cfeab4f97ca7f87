package io.github.knetj.docs;

import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.autograd.check.GradCheck;
import io.github.knetj.data.Minibatch;
import io.github.knetj.layers.Activation;
import io.github.knetj.layers.Chain;
import io.github.knetj.layers.Dense;
import io.github.knetj.layers.Init;
import io.github.knetj.layers.rnn.LSTM;
import io.github.knetj.layers.rnn.RNNOutput;
import io.github.knetj.optim.Optimizers;
import io.github.knetj.train.Trainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import io.github.knetj.autograd.AutoGrad.*;
import static io.github.knetj.autograd.Ops.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chapter 7, recurrent networks: the samples of docs/07-recurrent-networks.md, run and checked. */
class Chapter07Test {
    @AfterEach
    void restore() { Defaults.dtype(DType.FLOAT32); }

    @Test
    void anLstmOverABatchOfSequences() {
        // tag::lstm[]
        Init.seed(1);
        LSTM lstm = new LSTM(3, 8);                                   // 3 features in, 8 hidden units
        Value x = value(Defaults.backend().random().normal(Shape.of(2, 5, 3), Defaults.dtype(), 0, 1, 5));   // (B, T, I)
        RNNOutput out = lstm.forward(x);
        System.out.println(out);   // RNNOutput(y=[2, 5, 8], hidden=[1, 2, 8], memory=[1, 2, 8])
        // end::lstm[]
        assertEquals(Shape.of(2, 5, 8), out.y().shape());
        assertEquals(Shape.of(1, 2, 8), out.hidden().shape());
        assertEquals(Shape.of(1, 2, 8), out.memory().shape());
    }

    @Test
    void theLstmsGradientIsRight() {
        // tag::check[]
        Defaults.dtype(DType.FLOAT64);
        LSTM lstm = new LSTM(2, 3);
        Value x = value(Defaults.backend().random().normal(Shape.of(2, 4, 2), DType.FLOAT64, 0, 1, 6));
        GradCheck.Report r = GradCheck.check(() -> sum(square(lstm.apply(x))), lstm.params());
        System.out.print(r);   // the four weight tensors of the cell: w_ih, w_hh, b_ih, b_hh
        // end::check[]
        assertTrue(r.passed(), r::toString);
        assertEquals(4, r.entries().size());
    }

    // tag::data[]
    /** n sequences of t random numbers; the label is 1 when the first number is positive: the LSTM must remember it. */
    static Minibatch firstSign(int n, int t, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * t];
        int[] y = new int[n];
        for (int i = 0; i < n * t; i++) x[i] = (float) r.nextDouble(-1, 1);
        for (int i = 0; i < n; i++) y[i] = x[i * t] > 0 ? 1 : 0;
        return Minibatch.of(x, y, new int[]{t, 1}, 50);               // batches (50, t, 1)
    }
    // end::data[]

    @Test
    void rememberingTheFirstElement() {
        // tag::model[]
        int t = 5;
        Init.seed(2);
        Chain model = new Chain(
                new LSTM(1, 16),                                               // (B, t, 1) → (B, t, 16)
                Activation.of("last", y -> mat(slice(y, 1, t - 1, t))),        // the last step: (B, 16)
                new Dense(16, 2, null));                                       // two class scores
        new Trainer().fit(model, firstSign(2000, t, 1).shuffle(1), Optimizers.sgd(1.0), 8);
        System.out.println(Trainer.evaluate(model, firstSign(500, t, 2)));    // accuracy about 0.95; guessing gets 0.5
        // end::model[]
        // Threads sum in varying order on the cpu backend, so runs differ slightly; 0.8 is far above guessing (0.5).
        assertTrue(Trainer.evaluate(model, firstSign(500, t, 2)).accuracy() > 0.8);
    }
}
