package io.github.knetj.docs;

import io.github.knetj.api.DType;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.data.Batch;
import io.github.knetj.data.Minibatch;
import io.github.knetj.layers.Chain;
import io.github.knetj.layers.Dense;
import io.github.knetj.layers.Knet;
import io.github.knetj.layers.Linear;
import io.github.knetj.layers.Losses;
import io.github.knetj.layers.Params;
import io.github.knetj.optim.Optimizer;
import io.github.knetj.optim.Optimizers;
import io.github.knetj.train.History;
import io.github.knetj.train.Objective;
import io.github.knetj.train.Trainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.knetj.autograd.AutoGrad.*;
import static io.github.knetj.autograd.AutoGrad.*;
import static io.github.knetj.autograd.Ops.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The samples of docs/zoo-gan.md, docs/zoo-regression.md and docs/knet-names.md, run and checked. */
class ZooDocsTest {
    @AfterEach
    void restore() { Defaults.dtype(DType.FLOAT32); }

    @Test
    void knetsNllTakesScores() {
        Defaults.dtype(DType.FLOAT64);
        // tag::nll[]
        Value scores = array(new double[]{2, 0, 0, 3}, 2, 2);    // raw scores of 2 examples, 2 classes
        int[] labels = {0, 1};                                   // 0-based, as everywhere in KnetJ
        double knet = Knet.nll(scores, labels).item();           // Knet's nll: cross-entropy of scores, 0.0817
        double same = Losses.nll(Knet.logp(scores), labels).item();   // PyTorch's nll_loss of log-probabilities
        // Losses.nll(scores, labels) throws: a log-probability is never above 0
        // end::nll[]
        assertEquals(knet, same, 1e-12);
        assertEquals((Math.log(1 + Math.exp(-2)) + Math.log(1 + Math.exp(-3))) / 2, knet, 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Losses.nll(scores, labels));
    }

    @Test
    void twoOptimizersOnOneTape() {
        Defaults.dtype(DType.FLOAT64);
        io.github.knetj.layers.Init.seed(1);
        // tag::gan[]
        Chain g = new Chain(new Dense(4, 8), new Linear(8, 6));         // generator: noise → "image"
        Chain d = new Chain(new Dense(6, 8), new Linear(8, 1));         // discriminator: image → logit
        Optimizer gOpt = Optimizers.adam(2e-4).bind(Params.of(g));      // each optimizer moves its own model only
        Optimizer dOpt = Optimizers.adam(2e-4).bind(Params.of(d));
        Value z = array(new double[]{0.1, -0.2, 0.3, 0.5, -1, 0.2, 0.7, 0.4}, 2, 4);
        Value dBefore = value(d.params().get(0).data());
        Tape gTape = diff(() -> {
            Value s = d.apply(g.apply(z));
            return Losses.bce(s, onesLike(s));                           // G wants D to say "real"
        });
        gOpt.step(gTape);          // the tape reached D's parameters too, but only G's move
        // end::gan[]
        assertTrue(gTape.grad(d.params().get(0)) != null, "the tape has D's gradient");
        assertEquals(0, sum(abs(sub(value(d.params().get(0).data()), dBefore))).item(), 0);
        assertEquals(1, gOpt.steps());
        assertEquals(0, dOpt.steps());
    }

    @Test
    void regressionWithTheGeneralTrainer() {
        Defaults.dtype(DType.FLOAT64);
        io.github.knetj.layers.Init.seed(1);
        float[] x = new float[40], y = new float[20];
        for (int i = 0; i < 20; i++) { x[2 * i] = i / 20f; x[2 * i + 1] = (i % 4) / 4f; y[i] = 3 * x[2 * i] - x[2 * i + 1] + 0.5f; }
        // tag::regression[]
        Minibatch data = Minibatch.of(x, y, new int[]{2}, new int[]{1}, 5).shuffle(1);   // float targets, ysize {1}
        Linear model = new Linear(2, 1);
        Objective<Linear, Batch> mse = (m, b) -> Losses.mse(m.apply(b.x()), b.targets());
        History h = new Trainer().progress(Trainer.Progress.OFF).fit(model, data, data, mse, Optimizers.adam(0.05), 300);
        // h.last().testLoss() is the mean squared error on the test data; accuracies are NaN
        // end::regression[]
        assertTrue(h.last().testLoss() < 1e-4, "mse " + h.last().testLoss());
    }
}
