package io.github.knetj.io;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.autograd.NNOps;
import io.github.knetj.data.Minibatch;
import io.github.knetj.layers.BatchNorm;
import io.github.knetj.layers.Chain;
import io.github.knetj.layers.Conv;
import io.github.knetj.layers.Dense;
import io.github.knetj.layers.Init;
import io.github.knetj.layers.Linear;
import io.github.knetj.layers.Pool;
import io.github.knetj.layers.rnn.LSTM;
import io.github.knetj.optim.Optimizers;
import io.github.knetj.train.Trainer;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * KnetJ → PyTorch → KnetJ with the real PyTorch (Debian's python3-torch, which .ci/run installs): a trained conv net
 * with batch norm is exported under PyTorch's names (through a name map, since PyTorch's ReLU and MaxPool take
 * indices in nn.Sequential), loaded with {@code load_state_dict(strict=True)}, run by PyTorch on inputs KnetJ wrote
 * as {@code .npz}; PyTorch's logits come back as {@code .npy} and its state_dict (int64 {@code num_batches_tracked}
 * included) as safetensors. PyTorch's logits must match KnetJ's and give the same accuracy, and the weights that come
 * back must be KnetJ's, bit for bit. Without python3 and torch the test skips with the reason, unless
 * {@code KNETJ_REQUIRE_TORCH=1} (set by .ci/run) makes that a failure.
 */
class TorchRoundTripTest {
    /** The backend the other tests of this JVM expect, put back after each test. */
    private final Backend before = Defaults.backend();

    @AfterEach
    void restoreDefaults() {
        Defaults.backend(before);
        Defaults.dtype(DType.FLOAT32);
    }

    private static final String PYTHON = System.getenv().getOrDefault("KNETJ_PYTHON", "/usr/bin/python3");
    /** KnetJ's Chain index → PyTorch's nn.Sequential index (ReLU, MaxPool2d and Flatten take indices there). */
    private static final Map<String, String> TO_TORCH = Map.of("1.", "2.", "3.", "5.", "4.", "7.");
    private static final Map<String, String> FROM_TORCH = Map.of("2.", "1.", "5.", "3.", "7.", "4.");

    static Chain net() {
        return new Chain(new Conv(3, 3, 1, 4), new BatchNorm(4), new Pool(2), new Dense(36, 8), new Linear(8, 3));
    }

    @Test
    void knetjToTorchAndBackGivesTheSameTensorsAndAccuracy(@TempDir Path dir) throws Exception {
        requireTorch();
        Backend b = Backends.get();
        Defaults.backend(b);
        Defaults.dtype(DType.FLOAT32);
        Init.seed(3);
        Chain model = net();
        // A few steps of training move the weights and batch norm's running statistics away from their start.
        float[] xs = new float[256 * 64];
        int[] ys = new int[256];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < xs.length; i++) xs[i] = (float) r.nextGaussian();
        for (int i = 0; i < ys.length; i++) ys[i] = (xs[64 * i] > 0 ? 1 : 0) + (xs[64 * i + 9] > 0 ? 1 : 0);
        new Trainer().progress(Trainer.Progress.OFF).fit(model, Minibatch.of(xs, ys, new int[]{1, 8, 8}, 32), Optimizers.adam(0.01), 2);

        Tensor x = b.memory().fromArray(java.util.Arrays.copyOf(xs, 64 * 64), Shape.of(64, 1, 8, 8));
        int[] labels = java.util.Arrays.copyOf(ys, 64);
        Value knetjLogits = model.apply(new Value(x));   // outside diff: batch norm in inference mode, as PyTorch's eval()
        Path weights = dir.resolve("knetj.safetensors"), inputs = dir.resolve("inputs.npz");
        Path logitsOut = dir.resolve("torch_logits.npy"), weightsOut = dir.resolve("torch.safetensors");
        TorchNames.save(weights, model, TorchNames.renaming(TO_TORCH));
        NumPy.savez(inputs, Map.of("x", x));

        String printed = run(script(dir), weights, inputs, logitsOut, weightsOut);
        assertTrue(printed.contains("logits (64, 3)"), printed);

        Tensor torchLogits = NumPy.load(logitsOut, b, null);
        assertEquals(Shape.of(64, 3), torchLogits.shape());
        double[] k = knetjLogits.data().toDoubleArray(), t = torchLogits.toDoubleArray();
        for (int i = 0; i < k.length; i++) assertEquals(k[i], t[i], 1e-4 * (1 + Math.abs(k[i])), "logit " + i);
        Value torchScores = new Value(torchLogits);
        assertEquals(NNOps.accuracy(knetjLogits, labels), NNOps.accuracy(torchScores, labels), "the same accuracy");

        // PyTorch's file, with its int64 counter, loads into a fresh net and gives back KnetJ's weights bit for bit.
        assertEquals("I64", SafeTensors.read(weightsOut, b, null).dtypes().get("2.num_batches_tracked"));
        Init.seed(99);
        Chain back = net();
        TorchNames.load(weightsOut, back, TorchNames.renaming(FROM_TORCH));
        Map<String, Tensor> want = TorchNames.stateDict(model), got = TorchNames.stateDict(back);
        assertEquals(want.keySet(), got.keySet());
        for (String name : want.keySet()) assertArrayEquals(want.get(name).toFloatArray(), got.get(name).toFloatArray(), name);
        assertArrayEquals(k, back.apply(new Value(x)).data().toDoubleArray(), "the loaded net computes KnetJ's logits exactly");
    }

    /** An LSTM's weights under PyTorch's names give PyTorch's nn.LSTM the same outputs: names, shapes and gate order agree. */
    @Test
    void anLstmComputesTheSameInPyTorch(@TempDir Path dir) throws Exception {
        requireTorch();
        Backend b = Backends.get();
        Defaults.backend(b);
        Defaults.dtype(DType.FLOAT32);
        Init.seed(8);
        LSTM lstm = new LSTM(3, 5);
        float[] xs = new float[2 * 4 * 3];
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < xs.length; i++) xs[i] = (float) r.nextGaussian();
        Tensor x = b.memory().fromArray(xs, Shape.of(2, 4, 3));   // (batch, time, input)
        double[] knetj = lstm.apply(new Value(x)).data().toDoubleArray();
        Path weights = dir.resolve("lstm.safetensors"), inputs = dir.resolve("x.npy"), out = dir.resolve("y.npy");
        TorchNames.save(weights, lstm);
        NumPy.save(inputs, x);
        String printed = run(script(dir), "lstm", weights, inputs, out);
        assertTrue(printed.contains("lstm y (2, 4, 5)"), printed);
        double[] torch = NumPy.load(out, b, null).toDoubleArray();
        assertEquals(knetj.length, torch.length);
        for (int i = 0; i < knetj.length; i++) assertEquals(knetj[i], torch[i], 1e-5, "y element " + i);
    }

    private static Path script(Path dir) throws IOException {
        Path p = dir.resolve("torch_roundtrip.py");
        try (InputStream in = TorchRoundTripTest.class.getResourceAsStream("torch_roundtrip.py")) {
            Assertions.assertNotNull(in, "torch_roundtrip.py is a test resource");
            Files.write(p, in.readAllBytes());
        }
        return p;
    }

    /** Runs python3 with the arguments (the script first) and returns what it printed; a non-zero exit fails. */
    private static String run(Object... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = PYTHON;
        for (int i = 0; i < args.length; i++) cmd[i + 1] = args[i].toString();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) { p.destroyForcibly(); Assertions.fail("python timed out"); }
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "python3 torch_roundtrip.py failed:\n" + text);
        return text;
    }

    /** Skips (or, with KNETJ_REQUIRE_TORCH=1, fails) when python3 with torch and numpy is not installed. */
    private static void requireTorch() throws InterruptedException {
        String why;
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import torch, numpy").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            why = p.waitFor() == 0 ? null : PYTHON + " cannot import torch and numpy: " + out;
        } catch (IOException e) {
            why = "no " + PYTHON + ": " + e.getMessage();
        }
        if (why == null) return;
        why += " (on Debian: apt-get install python3-torch; .ci/run does)";
        if ("1".equals(System.getenv("KNETJ_REQUIRE_TORCH"))) Assertions.fail("KNETJ_REQUIRE_TORCH=1 but " + why);
        Assumptions.abort(why);
    }
}
