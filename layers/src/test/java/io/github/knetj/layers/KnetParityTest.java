package io.github.knetj.layers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.knetj.api.DType;
import io.github.knetj.autograd.AutoGrad;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.NNOps;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import static io.github.knetj.autograd.Ops.*;
import static io.github.knetj.layers.LayerTesting.gradcheck;
import static io.github.knetj.layers.LayerTesting.input;
import static io.github.knetj.layers.LayerTesting.on;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The {@link Knet} functions against PyTorch float64 vectors (scripts/knet_parity_vectors.py writes
 * knet-parity.json; the true convolution there is written out as loops, its definition), closed forms, and
 * finite-difference gradient checks.
 */
class KnetParityTest {
    private static final JsonNode CASES = read();

    private static JsonNode read() {
        try (InputStream in = KnetParityTest.class.getResourceAsStream("/knet-parity.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("knet-parity.json: " + e, e);
        }
    }

    private static double[] vec(String c, String k) {
        JsonNode n = CASES.get(c).get(k);
        double[] v = new double[n.size()];
        for (int i = 0; i < v.length; i++) v[i] = n.get(i).asDouble();
        return v;
    }

    private static int[] ints(String c, String k) {
        JsonNode n = CASES.get(c).get(k);
        int[] v = new int[n.size()];
        for (int i = 0; i < v.length; i++) v[i] = n.get(i).asInt();
        return v;
    }

    private static void close(double[] want, Value got, double tol, String what) {
        assertArrayEquals(want, got.data().toDoubleArray(), tol, what + " " + got.shape());
    }

    @ParameterizedTest @ValueSource(strings = {"reference", "cpu"})
    void bilinearMatchesPyTorchWithGradients(String backend) {
        on(backend, DType.FLOAT64, () -> {
            Param x1 = param(vec("bilinear", "x1"), 3, 4), w = param(vec("bilinear", "w"), 2, 4, 5);
            Value x2 = array(vec("bilinear", "x2"), 3, 5), b = array(vec("bilinear", "b"), 2);
            close(vec("bilinear", "y"), Knet.bilinearForm(x1, x2, w, b), 1e-12, "bilinear");
            Tape t = AutoGrad.diff(() -> sum(square(Knet.bilinearForm(x1, x2, w, b))));
            close(vec("bilinear", "dx1"), t.grad(x1), 1e-10, "∂/∂x1");
            close(vec("bilinear", "dw"), t.grad(w), 1e-10, "∂/∂W");
        });
    }

    @Test void bilinearInitialiserUpsamplesAConstantImageToItself() {
        on("reference", DType.FLOAT64, () -> {
            // f = 2: a 4×4 kernel with rows and columns (0.25, 0.75, 0.75, 0.25), channel c → c only
            double[] w = Knet.bilinear(2, 2).toDoubleArray();
            double[] k = {0.25, 0.75, 0.75, 0.25};
            for (int r = 0; r < 4; r++) for (int q = 0; q < 4; q++) {
                assertEquals(k[r] * k[q], w[r * 4 + q], 1e-15);          // (0, 0)
                assertEquals(0, w[16 + r * 4 + q], 0);                  // (0, 1)
                assertEquals(k[r] * k[q], w[48 + r * 4 + q], 1e-15);    // (1, 1)
            }
            // f = 3: a 5×5 kernel centred at 2 with (1/3, 2/3, 1, 2/3, 1/3)
            assertEquals(1.0 / 9, Knet.bilinear(3, 1).toDoubleArray()[0], 1e-15);
            assertEquals(1.0, Knet.bilinear(3, 1).toDoubleArray()[12], 1e-15);
            // deconvolution with stride 2, padding 1 doubles a constant image: interior pixels stay 1, edges 0.75
            Value x = array(new double[]{1, 1, 1, 1, 1, 1, 1, 1, 1}, 1, 1, 3, 3);
            double[] y = NNOps.deconv4(new Value(Knet.bilinear(2, 1)), x, io.github.knetj.api.Conv2d.of(2, 1, 1)).data().toDoubleArray();
            assertEquals(36, y.length);
            for (int r = 1; r < 5; r++) for (int q = 1; q < 5; q++) assertEquals(1, y[r * 6 + q], 1e-15);
            assertEquals(0.75, y[6], 1e-15);
            assertEquals(0.75 * 0.75, y[0], 1e-15);
        });
    }

    @ParameterizedTest @ValueSource(strings = {"reference", "cpu"})
    void conv4ModesAndAlpha(String backend) {
        on(backend, DType.FLOAT64, () -> {
            Value x = array(vec("conv4", "x"), 2, 3, 6, 5), w = array(vec("conv4", "w"), 4, 3, 3, 2);
            close(vec("conv4", "mode0"), Knet.conv4(w, x, 1, 2, 1, 0, 0.5), 1e-12, "conv4 mode 0 (convolution)");
            close(vec("conv4", "mode1"), Knet.conv4(w, x, 1, 2, 1, 1, 0.5), 1e-12, "conv4 mode 1 (cross-correlation)");
            assertThrows(IllegalArgumentException.class, () -> Knet.conv4(w, x, 0, 1, 1, 2, 1));
            Param wp = input(2, 1, 2, 2), xp = input(1, 1, 3, 3);
            gradcheck("conv4 mode 0", () -> sum(square(Knet.conv4(wp, xp))), List.of(), Map.of("w", wp, "x", xp));
        });
    }

    @ParameterizedTest @ValueSource(strings = {"reference", "cpu"})
    void poolModesAndUnpool(String backend) {
        on(backend, DType.FLOAT64, () -> {
            Value x = array(vec("pool", "x"), 2, 2, 5, 6);
            for (int mode = 0; mode <= 2; mode++) close(vec("pool", "mode" + mode), Knet.pool(x, 3, 1, 2, mode), 1e-12, "pool mode " + mode);
            for (String c : List.of("unpool_overlap", "unpool_padded")) {
                int[] shape = ints(c, "shape");
                Value xs = array(vec(c, "x"), 1, 2, c.equals("unpool_overlap") ? 4 : 3, 3);   // the script's input shapes
                Value y = Knet.unpool(xs, CASES.get(c).get("window").asInt(), CASES.get(c).get("padding").asInt(), CASES.get(c).get("stride").asInt());
                assertArrayEquals(shape, y.shape().dims(), c);
                close(vec(c, "y"), y, 1e-12, c);
            }
            // unpool undoes average pooling of non-overlapping windows (Knet's pool(unpool(x); mode=1) == x) ...
            Value small = array(new double[]{1, 2, 3, 4}, 1, 1, 2, 2);
            close(small.data().toDoubleArray(), Knet.pool(Knet.unpool(small), 2, 0, 2, 1), 1e-15, "pool(unpool(x))");
            // ... and its gradient, taken through a nested diff, passes a finite-difference check.
            Param p = input(1, 2, 2, 3);
            gradcheck("unpool", () -> sum(square(Knet.unpool(p, 2, 0, 1))), List.of(), Map.of("x", p));
        });
    }

    @Test void nllTakesScoresLikeKnetAndLossesNllRefusesThem() {
        on("reference", DType.FLOAT64, () -> {
            Value scores = array(new double[]{2, 0, 0, 3}, 2, 2);
            double l0 = Math.log(1 + Math.exp(-2)), l1 = Math.log(1 + Math.exp(-3));
            assertEquals((l0 + l1) / 2, Knet.nll(scores, new int[]{0, 1}).item(), 1e-12);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Losses.nll(scores, new int[]{0, 1}));
            assertTrue(e.getMessage().contains("log-probabilities") && e.getMessage().contains("crossEntropy"), e.getMessage());
            assertEquals((l0 + l1) / 2, Losses.nll(Knet.logp(scores), new int[]{0, 1}).item(), 1e-12);
            assertEquals(0.5, Knet.zeroone(scores, new int[]{0, 0}), 0);
            assertEquals(1.0, Knet.accuracy(scores, new int[]{0, 1}), 0);
        });
    }

    @Test void cat1dAndGradloss() {
        on("reference", DType.FLOAT64, () -> {
            Value c = Knet.cat1d(array(new double[]{1, 2, 3, 4}, 2, 2), array(new double[]{5}, 1));
            assertArrayEquals(new int[]{5}, c.shape().dims());
            close(new double[]{1, 2, 3, 4, 5}, c, 0, "cat1d");
            // f(x) = Σ x³: loss 1 + 8 = 9, gradient 3x² = (3, 12)
            Knet.GradLoss gl = Knet.gradloss(v -> sum(pow(v, 3))).apply(array(new double[]{1, 2}, 2));
            assertEquals(9, gl.loss(), 1e-12);
            close(new double[]{3, 12}, gl.grad(), 1e-12, "gradloss");
        });
    }

    @Test void batchnormWithKnetMomentsAndParams() {
        on("reference", DType.FLOAT64, () -> {
            Value x = array(vec("batchnorm", "x"), 4, 3, 2, 2), x2 = array(vec("batchnorm", "x2"), 4, 3, 2, 2);
            Knet.Moments m = Knet.bnmoments();
            Param params = Knet.bnparams(3);
            close(new double[]{1, 1, 1, 0, 0, 0}, params, 0, "bnparams");
            params.set(array(vec("batchnorm", "params"), 6).data());
            close(vec("batchnorm", "train"), Knet.batchnorm(x, m, params, true), 1e-10, "batchnorm training");
            Knet.batchnorm(x2, m, params, true);
            close(vec("batchnorm", "running_mean"), new Value(m.stats().mean()), 1e-12, "running mean");
            close(vec("batchnorm", "running_var"), new Value(m.stats().var()), 1e-12, "running var");
            close(vec("batchnorm", "eval"), Knet.batchnorm(x, m, params), 1e-10, "batchnorm evaluation (outside diff)");
        });
    }

    @Test void smallLayersAndLossObjects() {
        on("reference", DType.FLOAT64, () -> {
            Value s = array(vec("cross_entropy_axis1", "scores"), 2, 5, 3);
            int[] lab = ints("cross_entropy_axis1", "labels");
            assertEquals(CASES.get("cross_entropy_axis1").get("loss").asDouble(), new CrossEntropyLoss(1).apply(s, lab).item(), 1e-12);
            Param sp = new Param(s.data());
            close(vec("cross_entropy_axis1", "grad"), AutoGrad.diff(() -> new CrossEntropyLoss(1).apply(sp, lab)).grad(sp), 1e-12, "∂CE/∂scores");
            assertEquals(CASES.get("cross_entropy_last").get("loss").asDouble(),
                    new CrossEntropyLoss().apply(array(vec("cross_entropy_last", "scores"), 2, 3, 4), ints("cross_entropy_last", "labels")).item(), 1e-12);
            assertEquals(CASES.get("sigmoid_cross_entropy").get("loss").asDouble(), new SigmoidCrossEntropyLoss()
                    .apply(array(vec("sigmoid_cross_entropy", "logits"), 3, 4), array(vec("sigmoid_cross_entropy", "targets"), 3, 4)).item(), 1e-12);

            Value x = array(new double[]{1, 2, 3, 4, 5, 6}, 2, 3);
            Bias bias = new Bias(3);
            bias.b().set(array(new double[]{10, 20, 30}, 3).data());
            close(new double[]{11, 22, 33, 14, 25, 36}, bias.apply(x), 0, "Bias");
            Diagonal d = new Diagonal(3);
            close(x.data().toDoubleArray(), d.apply(x), 0, "Diagonal starts as the identity");
            d.w().set(array(new double[]{2, 0, -1}, 3).data());
            close(new double[]{2, 0, -3, 8, 0, -6}, d.apply(x), 0, "Diagonal");
            Multiply mul = new Multiply(new Param(array(new double[]{1, 0, 1, 0, 1, 0}, 2, 3).data()));
            close(new double[]{4, 2, 10, 5}, mul.apply(x), 0, "Multiply");
            // log(e^1 + e^2 + e^3) per row
            double lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
            close(new double[]{lse, lse + 3}, new LogSumExp(-1).apply(x), 1e-12, "LogSumExp");
            assertEquals("Bias(3)", bias.toString());
            assertEquals("Diagonal(3)", d.toString());
            assertEquals("Multiply(3 => 2)", mul.toString());
            assertEquals("LogSumExp(dims=[-1])", new LogSumExp(-1).toString());
            assertEquals("CrossEntropyLoss(dims=1)", new CrossEntropyLoss(1).toString());
            Param xp = input(2, 3);
            Chain chain = new Chain(new Bias(3), new Diagonal(3), new Multiply(3, 4), new LogSumExp(-1));
            gradcheck("Bias, Diagonal, Multiply, LogSumExp", () -> sum(square(chain.apply(xp))), chain, Map.of("x", xp));
        });
    }
}
