package io.github.knetj.examples.zoo;

import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.BatchNormStats;
import io.github.knetj.io.ModelWalk;
import io.github.knetj.io.SafeTensors;
import io.github.knetj.layers.Params;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Loads weights that a PyTorch script saved as safetensors ({@code safetensors.torch.save_file(model.state_dict())})
 * into a KnetJ model, through a name map: each KnetJ name ({@link Params#named}, batch-norm statistics from
 * {@link ModelWalk}) becomes PyTorch's by writing every field in snake_case and naming the last part as PyTorch does:
 * <pre>
 * blocks.0.shortcutBn.gamma  →  blocks.0.shortcut_bn.weight        w, gamma → weight
 * stem.b (1, C, 1, 1)         →  stem.bias (C)                     b, beta  → bias
 * stemBn.stats (running mean) →  stem_bn.running_mean              (num_batches_tracked is not needed)
 * </pre>
 * A tensor whose element count matches is reshaped (a conv bias); anything missing, extra or of another size is an
 * error listing every problem, and the model is left as it was.
 */
final class PyTorchWeights {
    private PyTorchWeights() {}

    /** PyTorch's name for a KnetJ parameter or statistic path. */
    static String torchName(String knetj) {
        String[] parts = knetj.split("\\.");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (i == parts.length - 1) p = switch (p) { case "w", "gamma" -> "weight"; case "b", "beta" -> "bias"; default -> p; };
            if (i > 0) sb.append('.');
            sb.append(p.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }

    /** PyTorch's module name for a batch norm's statistics, found by KnetJ at "path.stats" (BatchNorm's field). */
    static String torchStatsName(String knetj) {
        return torchName(knetj.endsWith(".stats") ? knetj.substring(0, knetj.length() - ".stats".length()) : knetj);
    }

    static void load(Path file, Object model) throws IOException {
        Map<String, Param> params = Params.named(model);
        Map<String, BatchNormStats> stats = ModelWalk.batchNormStats(model);
        Param first = params.values().iterator().next();
        Map<String, Tensor> all = SafeTensors.read(file, first.data().backend(), first.data().dtype()).tensors();
        TreeSet<String> unused = new TreeSet<>(all.keySet());
        unused.removeIf(k -> k.endsWith(".num_batches_tracked"));
        List<String> problems = new ArrayList<>();
        Map<Param, Tensor> newParams = new LinkedHashMap<>();
        params.forEach((name, p) -> newParams.put(p, take(all, unused, torchName(name), p.data(), problems)));
        Map<BatchNormStats, Tensor[]> newStats = new LinkedHashMap<>();
        stats.forEach((name, s) -> newStats.put(s, new Tensor[]{take(all, unused, torchStatsName(name) + ".running_mean", s.mean(), problems),
                take(all, unused, torchStatsName(name) + ".running_var", s.var(), problems)}));
        if (!unused.isEmpty()) problems.add("names the model does not have: " + unused);
        if (!problems.isEmpty()) throw new IllegalArgumentException("--pretrained " + file + ": " + String.join("; ", problems));
        newParams.forEach(Param::set);
        newStats.forEach((s, t) -> s.set(t[0], t[1]));
        System.err.println("loaded PyTorch weights " + file + " (" + newParams.size() + " parameters, " + newStats.size() + " batch norms)");
    }

    private static Tensor take(Map<String, Tensor> all, TreeSet<String> unused, String name, Tensor like, List<String> problems) {
        Tensor t = all.get(name);
        unused.remove(name);
        if (t == null) { problems.add("missing '" + name + "'"); return null; }
        if (t.size() != like.size()) { problems.add("'" + name + "' has shape " + t.shape() + ", the model " + like.shape()); return null; }
        return t.shape().equals(like.shape()) ? t : like.backend().memory().fromArray(t.toDoubleArray(), like.shape(), like.dtype());
    }
}
