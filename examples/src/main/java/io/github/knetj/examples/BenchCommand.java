package io.github.knetj.examples;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Backends;
import io.github.knetj.api.Conv2d;
import io.github.knetj.api.Convolution;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.TensorScope;
import io.github.knetj.examples.rnn.CharLSTMBenchmark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import java.util.function.Supplier;

/**
 * {@code ./knetj bench matmul|conv|train}: quick benchmarks without JMH, as the peers' scripts measure (warm-up, then
 * repeated calls for at least a second, median and best), a table and a JSON line. Run it beside the PyTorch scripts
 * ({@code scripts/compare.sh}) for any claim: only ratios measured in one run count on a shared machine.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Quick benchmarks without JMH (warm-up, then calls for at least --seconds; median and best).",
        subcommands = {BenchCommand.Matmul.class, BenchCommand.Conv.class, BenchCommand.Train.class, CharLSTMBenchmark.class})
final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** {@code ./knetj bench} alone runs matmul with its defaults, as it always did. */
    @Override public Integer call() throws Exception { return Train.run(spec.root().commandLine(), new String[]{"bench", "matmul"}); }

    /** The options of the kernel benchmarks. */
    static class KernelOptions {
        @Mixin BackendOptions backendOptions;

        @Option(names = "--seconds", paramLabel = "S", defaultValue = "1.0", description = "time each case for at least this long, above 0 and at most 600")
        double seconds;
    }

    @Command(name = "matmul", mixinStandardHelpOptions = true, showDefaultValues = true, description = "GFLOP/s of n×n matrix products.")
    static final class Matmul extends KernelOptions implements Callable<Integer> {
        @Option(names = "--sizes", paramLabel = "N,N,...", split = ",", defaultValue = "128,256,512,1024,2048", description = "matrix sizes, each 1 to 8192")
        List<Integer> sizes;

        @Override public Integer call() {
            for (int n : sizes) Checked.range("--sizes", n, 1, 8192);
            Checked.positive("--seconds", seconds, 600);
            Backend b = backendOptions.apply();
            return matmul(b, backendOptions.dtype(), sizes, seconds);
        }
    }

    @Command(name = "conv", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "LeNet's two convolutions at batch 100 and a ResNet 3×3 64→64 layer at batch 32, forward and forward+backward.")
    static final class Conv extends KernelOptions implements Callable<Integer> {
        @Override public Integer call() {
            Checked.positive("--seconds", seconds, 600);
            Backend b = backendOptions.apply();
            return conv(b, backendOptions.dtype(), seconds);
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = {"Seconds per training epoch of lenet or mlp on MNIST (progress as lines), or tokens/s of a char-LSTM step",
                    "(--model charlstm: the options of ./knetj bench charlstm --help)."})
    static final class Train implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Option(names = "--model", paramLabel = "NAME", defaultValue = "lenet", description = "lenet, mlp or charlstm") String model;
        @Option(names = "--epochs", paramLabel = "N", defaultValue = "1", description = "epochs of lenet or mlp") int epochs;
        @CommandLine.Unmatched List<String> rest = new ArrayList<>();

        @Override public Integer call() throws Exception {
            String[] more = rest.toArray(String[]::new);
            CommandLine top = spec.root().commandLine();
            return switch (model) {
                case "charlstm" -> {
                    if (spec.commandLine().getParseResult().hasMatchedOption("--epochs"))
                        throw new IllegalArgumentException("bench train --model charlstm times steps, not epochs: use --steps");
                    yield run(top, concat(new String[]{"bench", "charlstm"}, more));
                }
                case "lenet", "mlp" -> run(top, concat(new String[]{"train", model, "--epochs", Integer.toString(epochs), "--progress", "lines"}, more));
                default -> throw new IllegalArgumentException("bench train: --model " + model + ": expected lenet, mlp or charlstm");
            };
        }

        /** Runs another command of the same tree (its options are checked by its own parser) and returns its exit code. */
        static int run(CommandLine top, String[] argv) throws Exception {
            CommandLine.ParseResult parsed = top.parseArgs(argv);
            while (parsed.hasSubcommand()) parsed = parsed.subcommand();
            Object command = parsed.commandSpec().userObject();
            return ((Callable<?>) command).call() instanceof Integer code ? code : Outcome.OK;
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static int matmul(Backend b, DType dtype, List<Integer> sizes, double minSeconds) {
        System.out.printf("matmul %s on %s (%s)%n%6s %12s %12s%n", dtype, b.name(), b.device(), "n", "GFLOP/s med", "GFLOP/s best");
        Map<String, Object> results = new LinkedHashMap<>();
        for (int n : sizes) {
            Tensor x = b.random().uniform(Shape.of(n, n), dtype, -1, 1, 1);
            Tensor y = b.random().uniform(Shape.of(n, n), dtype, -1, 1, 2);
            double[] t = time(() -> b.linalg().matmul(x, y), minSeconds);
            double flops = 2.0 * n * n * n;
            System.out.printf("%6d %12.1f %12.1f%n", n, flops / t[0] / 1e9, flops / t[1] / 1e9);
            results.put(Integer.toString(n), Map.of("gflops_median", flops / t[0] / 1e9, "gflops_best", flops / t[1] / 1e9));
        }
        System.out.println(new Json().put("command", "bench matmul").put("status", "ok").put("bench", "matmul").put("backend", b.name()).put("dtype", dtype.label())
                .put("threads", System.getProperty("knetj.threads", "default")).put("results", results));
        return 0;
    }

    /** The peers' conv cases: LeNet's two layers at batch 100 and a ResNet 3×3 64→64 layer at batch 32. */
    private static int conv(Backend b, DType dtype, double minSeconds) {
        record Case(String name, int[] x, int[] w, int pad, boolean inputGrad) {}
        List<Case> cases = List.of(
                new Case("lenet_conv1", new int[]{100, 1, 28, 28}, new int[]{20, 1, 5, 5}, 0, false),
                new Case("lenet_conv2", new int[]{100, 20, 12, 12}, new int[]{50, 20, 5, 5}, 0, true),
                new Case("resnet_3x3", new int[]{32, 64, 32, 32}, new int[]{64, 64, 3, 3}, 1, true));
        System.out.printf("conv2d %s on %s (%s)%n%-12s %10s %10s %12s %12s%n", dtype, b.name(), b.device(),
                "case", "fwd ms", "fwd GF/s", "fwd+bwd ms", "fwd+bwd GF/s");
        Convolution c = b.convolution();
        Map<String, Object> results = new LinkedHashMap<>();
        for (Case k : cases) {
            Tensor x = b.random().uniform(Shape.of(k.x), dtype, -1, 1, 3);
            Tensor w = b.random().uniform(Shape.of(k.w), dtype, -1, 1, 4);
            Conv2d spec = Conv2d.of(1, k.pad, 1);
            Shape yShape = spec.outputShape(x.shape(), w.shape());
            Tensor dy = b.random().uniform(yShape, dtype, -1, 1, 5);
            double f = 2.0 * yShape.size() * k.w[1] * k.w[2] * k.w[3];
            double[] fwd = time(() -> c.conv2d(x, w, spec), minSeconds);
            double[] all = time(() -> {
                c.conv2d(x, w, spec);
                c.conv2dBackwardWeight(x, dy, w.shape(), spec);
                return k.inputGrad ? c.conv2dBackwardInput(dy, w, x.shape(), spec) : dy;
            }, minSeconds);
            double fb = f * (k.inputGrad ? 3 : 2);
            System.out.printf("%-12s %10.2f %10.1f %12.2f %12.1f%n", k.name, fwd[0] * 1e3, f / fwd[0] / 1e9, all[0] * 1e3, fb / all[0] / 1e9);
            results.put(k.name, Map.of("fwd_ms", fwd[0] * 1e3, "fwd_bwd_ms", all[0] * 1e3, "fwd_gflops", f / fwd[0] / 1e9, "fwd_bwd_gflops", fb / all[0] / 1e9));
        }
        System.out.println(new Json().put("command", "bench conv").put("status", "ok").put("bench", "conv").put("backend", b.name()).put("dtype", dtype.label())
                .put("threads", System.getProperty("knetj.threads", "default")).put("results", results));
        return 0;
    }

    /** Median and best seconds per call, after warm-up, over at least 5 calls and minSeconds; each call in its own scope. */
    static double[] time(Supplier<Tensor> f, double minSeconds) {
        for (int i = 0; i < 3; i++) call(f);
        List<Double> ts = new ArrayList<>();
        long start = System.nanoTime();
        while (ts.size() < 5 || (System.nanoTime() - start) / 1e9 < minSeconds) {
            long t0 = System.nanoTime();
            call(f);
            ts.add((System.nanoTime() - t0) / 1e9);
        }
        double[] a = ts.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new double[]{a[a.length / 2], a[0]};
    }

    /** One call; reading one element of the result waits for a device backend's queue, and the scope frees its memory. */
    private static void call(Supplier<Tensor> f) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor r = f.get();
            Backend b = r.backend();
            b.layout().slice(b.layout().reshape(r, Shape.of((int) r.size())), 0, 0, 1).item();
        }
    }
}
