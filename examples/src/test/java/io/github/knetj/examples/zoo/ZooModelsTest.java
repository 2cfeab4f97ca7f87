package io.github.knetj.examples.zoo;

import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.autograd.check.GradCheck;
import io.github.knetj.io.SafeTensors;
import io.github.knetj.layers.Init;
import io.github.knetj.layers.Params;
import io.github.knetj.api.Backends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.github.knetj.autograd.Ops.*;
import static org.junit.jupiter.api.Assertions.*;

/** The zoo's pieces that need no data set: the ResNet's shapes and gradients, the PyTorch name map, least squares. */
class ZooModelsTest {
    private io.github.knetj.api.Backend oldBackend;
    private DType oldDtype;

    @BeforeEach void reference() {
        oldBackend = Defaults.backend();
        oldDtype = Defaults.dtype();
        Defaults.backend(Backends.get("reference"));
        Defaults.dtype(DType.FLOAT64);
        Init.seed(3);
    }

    @AfterEach void restore() {
        Defaults.backend(oldBackend);
        Defaults.dtype(oldDtype);
    }

    @Test void resnetShapesAndLayerCount() {
        ResNet net = ResNet.of(16, 3);
        assertEquals("ResNet(width 16, 3 blocks per stage, 20 layers)", net.toString());
        long convs = Params.named(net).keySet().stream().filter(k -> k.endsWith(".w") && !k.startsWith("fc")).count();
        assertEquals(21, convs, "19 convolutions of ResNet-20 and the two projection shortcuts");
        ResNet small = ResNet.of(2, 1);
        Value y = small.apply(new Value(Init.gaussian(1, 2, 1, 28, 28)));
        assertArrayEquals(new int[]{2, 10}, y.shape().dims());
        assertNull(small.blocks().get(0).shortcut(), "the first block keeps the width: identity");
        assertNotNull(small.blocks().get(1).shortcut(), "stride 2 and twice the width: a projection");
    }

    @Test void aResidualBlockPassesAGradientCheck() {
        ResNet.Block b = ResNet.Block.of(2, 3, 2);
        // finite differences run outside diff, where batch norm would use its running statistics: force training
        b.bn1().train();
        b.bn2().train();
        b.shortcutBn().train();
        Param x = new Param(Init.gaussian(1, 2, 2, 4, 4));
        Map<String, Param> named = new LinkedHashMap<>(Params.named(b));
        named.put("x", x);
        GradCheck.Report r = GradCheck.options().check(() -> sum(square(b.apply(x))), named);
        assertTrue(r.passed(), r.toString());
    }

    @Test void torchNamesFollowTheMap() {
        assertEquals("blocks.0.shortcut_bn.weight", PyTorchWeights.torchName("blocks.0.shortcutBn.gamma"));
        assertEquals("stem_bn.bias", PyTorchWeights.torchName("stemBn.beta"));
        assertEquals("stem.weight", PyTorchWeights.torchName("stem.w"));
        assertEquals("fc.bias", PyTorchWeights.torchName("fc.b"));
        assertEquals("blocks.2.bn1", PyTorchWeights.torchName("blocks.2.bn1"));
        assertEquals("blocks.1.shortcut_bn", PyTorchWeights.torchStatsName("blocks.1.shortcutBn.stats"));
        assertEquals("stemBn.stats", io.github.knetj.io.ModelWalk.batchNormStats(ResNet.of(2, 1)).keySet().iterator().next(), "where KnetJ finds the statistics");
    }

    @Test void loadsWeightsSavedUnderPyTorchNames(@TempDir Path dir) throws IOException {
        ResNet src = ResNet.of(2, 1), dst = ResNet.of(2, 1);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Params.named(src).forEach((k, p) -> {
            Tensor t = p.data();
            // PyTorch keeps a conv bias as (C), KnetJ as (1, C, 1, 1)
            if (k.endsWith(".b") && t.shape().rank() == 4) t = Defaults.backend().memory().fromArray(t.toDoubleArray(), Shape.of(t.shape().dim(1)), DType.FLOAT64);
            tensors.put(PyTorchWeights.torchName(k), t);
        });
        io.github.knetj.io.ModelWalk.batchNormStats(src).forEach((k, s) -> {
            tensors.put(PyTorchWeights.torchStatsName(k) + ".running_mean", Defaults.backend().memory().fromArray(new double[s.mean().shape().dim(0)], s.mean().shape(), DType.FLOAT64));
            tensors.put(PyTorchWeights.torchStatsName(k) + ".running_var", s.var());
            tensors.put(PyTorchWeights.torchStatsName(k) + ".num_batches_tracked", Defaults.backend().memory().fromArray(new double[]{7}, Shape.of(1), DType.FLOAT64));
        });
        Path f = dir.resolve("w.safetensors");
        SafeTensors.save(f, tensors, Map.of());
        PyTorchWeights.load(f, dst);
        Value x = new Value(Init.gaussian(1, 2, 1, 28, 28));
        assertArrayEquals(src.apply(x).data().toDoubleArray(), dst.apply(x).data().toDoubleArray(), 1e-12);
        tensors.remove("fc.bias");
        tensors.put("extra", tensors.get("fc.weight"));
        SafeTensors.save(f, tensors, Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PyTorchWeights.load(f, ResNet.of(2, 1)));
        assertTrue(e.getMessage().contains("missing 'fc.bias'") && e.getMessage().contains("[extra]"), e.getMessage());
    }

    @Test void leastSquaresRecoversAnExactLinearRelation() {
        // y = 1 + 2a − 3b on points that are not collinear, and the RMSE of the fit is 0
        float[] x = {0, 0, 1, 0, 0, 1, 1, 1, 2, 3}, y = new float[5];
        for (int i = 0; i < 5; i++) y[i] = 1 + 2 * x[2 * i] - 3 * x[2 * i + 1];
        double[] beta = LeastSquares.fit(x, y, 2);
        assertArrayEquals(new double[]{1, 2, -3}, beta, 1e-9);
        assertEquals(0, LeastSquares.rmse(beta, x, y, 2), 1e-9);
        // with noise the residual is orthogonal to the columns: mean residual 0 for the intercept
        float[] noisy = y.clone();
        noisy[0] += 1;
        double[] b2 = LeastSquares.fit(x, noisy, 2);
        double meanResidual = 0;
        for (int i = 0; i < 5; i++) meanResidual += (b2[0] + b2[1] * x[2 * i] + b2[2] * x[2 * i + 1] - noisy[i]) / 5;
        assertEquals(0, meanResidual, 1e-9);
    }
}
