package io.github.knetj.docs;

import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.autograd.check.GradCheck;
import io.github.knetj.data.Minibatch;
import io.github.knetj.data.Mnist;
import io.github.knetj.layers.Chain;
import io.github.knetj.layers.Conv;
import io.github.knetj.layers.Dense;
import io.github.knetj.layers.Init;
import io.github.knetj.layers.Pool;
import io.github.knetj.layers.ReLU;
import io.github.knetj.optim.Optimizers;
import io.github.knetj.train.Trainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.knetj.autograd.AutoGrad.*;
import static io.github.knetj.autograd.NNOps.*;
import static io.github.knetj.autograd.Ops.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chapter 6, convolution and LeNet: the samples of docs/06-convolution-lenet.md, LeNet trained on {@link SyntheticDigits}. */
class Chapter06Test {
    @AfterEach
    void restore() { Defaults.dtype(DType.FLOAT32); }

    @Test
    void convolutionAndPoolingShapes() {
        // tag::conv[]
        Value images = value(Defaults.backend().random().uniform(Shape.of(2, 1, 28, 28), Defaults.dtype(), 0, 1, 7));   // (N, C, H, W)
        Param w = Init.param(20, 1, 5, 5);              // (out, in, kh, kw): 20 filters of 5×5
        Value y = conv4(w, images);                     // (2, 20, 24, 24): 28 − 5 + 1 positions per axis
        Value p = pool(y, 2);                           // (2, 20, 12, 12): the largest of each 2×2 window
        System.out.println(y.shape() + " " + p.shape());
        // end::conv[]
        assertEquals(Shape.of(2, 20, 24, 24), y.shape());
        assertEquals(Shape.of(2, 20, 12, 12), p.shape());
    }

    @Test
    void aConvLayerPassesTheGradientCheck() {
        // tag::check[]
        Defaults.dtype(DType.FLOAT64);
        Conv conv = new Conv(3, 3, 2, 4);               // 3×3 kernels, 2 → 4 channels, relu
        Value x = value(Defaults.backend().random().uniform(Shape.of(2, 2, 6, 6), DType.FLOAT64, -1, 1, 3));
        GradCheck.Report r = GradCheck.check(() -> sum(square(conv.apply(x))), conv.params());
        System.out.print(r);                             // w and b, each within tolerance
        // end::check[]
        assertTrue(r.passed(), r::toString);
    }

    // tag::lenet[]
    /** Knet's LeNet: two convolutions with max pooling, then two dense layers. */
    static Chain lenet() {
        return new Chain(
                new Conv(5, 5, 1, 20, null), new Pool(2), new ReLU(),      // (N, 20, 12, 12)
                new Conv(5, 5, 20, 50, null), new Pool(2), new ReLU(),     // (N, 50, 4, 4) = 800 per image
                new Dense(800, 500), new Dense(500, 10, null));           // 10 scores
    }
    // end::lenet[]

    // tag::train[]
    static Trainer.Evaluation trainLenet(Mnist.Split train, Mnist.Split test, int epochs) {
        Init.seed(1);
        Minibatch dtrn = Minibatch.of(train.images(), train.labels(), new int[]{1, 28, 28}, 50).shuffle(1);
        Minibatch dtst = Minibatch.of(test.images(), test.labels(), new int[]{1, 28, 28}, 50);
        Chain model = lenet();
        new Trainer().test(dtst).fit(model, dtrn, Optimizers.sgd(0.1), epochs);
        return Trainer.evaluate(model, dtst);
    }
    // end::train[]

    @Test
    void leNetLearnsDigitShapedData() {
        Trainer.Evaluation e = trainLenet(SyntheticDigits.make(1000, 3), SyntheticDigits.make(200, 4), 1);
        assertTrue(e.accuracy() > 0.9, "accuracy " + e.accuracy());
    }
}
