package io.github.knetj.io;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.BatchNormStats;
import io.github.knetj.layers.BatchNorm;
import io.github.knetj.layers.Chain;
import io.github.knetj.layers.Conv;
import io.github.knetj.layers.Dense;
import io.github.knetj.layers.Embed;
import io.github.knetj.layers.LayerNorm;
import io.github.knetj.layers.Linear;
import io.github.knetj.layers.Params;
import io.github.knetj.layers.rnn.CellWeights;
import io.github.knetj.layers.rnn.Recurrent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A model's weights under PyTorch's {@code state_dict} names, so that a PyTorch model of the same layers loads them
 * with {@code model.load_state_dict(safetensors.torch.load_file(path))} and KnetJ loads PyTorch's back. Only the
 * model is written, no optimizer state ({@link ModelIO} keeps that).
 * <p>
 * A {@link Chain}'s i-th layer is PyTorch's {@code nn.Sequential} entry {@code "i."}; by layer type:
 * <ul>
 *   <li>{@link Dense}, {@link Linear}: {@code weight} (out, in), {@code bias} (out), as {@code nn.Linear};</li>
 *   <li>{@link Conv}: {@code weight} (out, in, kh, kw) and {@code bias} (out) (KnetJ keeps it as (1, out, 1, 1)), as {@code nn.Conv2d};</li>
 *   <li>{@link BatchNorm}: {@code weight}, {@code bias}, {@code running_mean}, {@code running_var} and {@code num_batches_tracked}
 *       (int64, written as 0: KnetJ's momentum update does not count batches), as {@code nn.BatchNorm1d/2d};</li>
 *   <li>{@link LayerNorm}: {@code weight}, {@code bias}; {@link Embed}: {@code weight} (vocab, dim), as {@code nn.Embedding};</li>
 *   <li>RNN, LSTM, GRU: {@code weight_ih_l0}, {@code weight_hh_l0}, {@code bias_ih_l0}, {@code bias_hh_l0}, {@code ..._l0_reverse},
 *       PyTorch's gate order and shapes;</li>
 *   <li>any other layer: its parameters under their {@link Params#named} names, for a name map to fix.</li>
 * </ul>
 * PyTorch's modules without weights (ReLU, MaxPool2d, Flatten) take indices in an {@code nn.Sequential} that KnetJ's
 * layers, which apply their own activation, do not; a name map bridges them: {@code renaming(Map.of("2.", "4."))}.
 */
public final class TorchNames {
    private TorchNames() {}

    /** One named tensor of a model, with how to set it from a loaded tensor of PyTorch's shape. */
    private record Slot(String name, Tensor value, Consumer<Tensor> set) {}

    /** The model's tensors by PyTorch name, in PyTorch's shapes (num_batches_tracked left out: see {@link #save}). */
    public static Map<String, Tensor> stateDict(Object model) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Slot s : slots(model)) out.put(s.name(), s.value());
        return out;
    }

    /** Writes model's weights under PyTorch's names to a safetensors file, atomically. */
    public static void save(Path path, Object model) throws IOException { save(path, model, UnaryOperator.identity()); }

    /** The same, each name passed through {@code rename} first (KnetJ's PyTorch name → the name in the file). */
    public static void save(Path path, Object model, UnaryOperator<String> rename) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, SafeTensors.Int64> counters = new LinkedHashMap<>();
        for (Slot s : slots(model)) tensors.put(checkedName(rename, s.name()), s.value());
        for (String bn : batchNormPrefixes(model)) counters.put(checkedName(rename, bn + "num_batches_tracked"), new SafeTensors.Int64(new long[]{0}));
        SafeTensors.save(path, tensors, counters, Map.of("format", "pt"));
    }

    /** Loads a file of PyTorch names (a state_dict saved with safetensors) into model; see {@link #load(Path, Object, UnaryOperator)}. */
    public static void load(Path path, Object model) throws IOException { load(path, model, UnaryOperator.identity()); }

    /**
     * Loads a file of PyTorch names into model, each name in the file passed through {@code rename} first (the name
     * in the file → KnetJ's PyTorch name). Every tensor is checked before anything changes: a missing or unexpected
     * name or a shape that differs is an error naming it, and the model is left as it was. {@code num_batches_tracked}
     * entries are read and ignored.
     */
    public static void load(Path path, Object model, UnaryOperator<String> rename) throws IOException {
        List<Slot> slots = slots(model);
        if (slots.isEmpty()) throw new IllegalArgumentException("TorchNames.load: " + model.getClass().getName() + " has no parameters to load into");
        Backend backend = slots.get(0).value().backend();
        Map<String, Tensor> file = new LinkedHashMap<>();
        for (var e : SafeTensors.read(path, backend, null).tensors().entrySet()) file.put(checkedName(rename, e.getKey()), e.getValue());
        file.keySet().removeIf(k -> k.endsWith("num_batches_tracked"));
        List<String> problems = new ArrayList<>();
        TreeSet<String> unused = new TreeSet<>(file.keySet());
        List<Runnable> sets = new ArrayList<>();
        for (Slot s : slots) {
            Tensor t = file.get(s.name());
            unused.remove(s.name());
            if (t == null) problems.add("missing '" + s.name() + "'");
            else if (!t.shape().equals(s.value().shape())) problems.add("'" + s.name() + "' has shape " + t.shape() + " in the file but " + s.value().shape() + " in the model");
            else sets.add(() -> s.set().accept(t.to(s.value().backend()).to(s.value().dtype())));
        }
        if (!unused.isEmpty()) problems.add("the file holds names the model does not have: " + unused);
        if (!problems.isEmpty())
            throw new IllegalArgumentException("TorchNames.load " + path + " into " + model.getClass().getSimpleName() + ": " + String.join("; ", problems)
                    + " (the model has " + slots.stream().map(Slot::name).toList() + "; a name map bridges different layouts)");
        sets.forEach(Runnable::run);
    }

    /**
     * A name map that replaces the longest matching prefix: {@code renaming(Map.of("2.", "4.", "3.", "6."))} sends
     * "2.weight" to "4.weight"; names no prefix matches stay as they are. For loading, give the inverse map.
     */
    public static UnaryOperator<String> renaming(Map<String, String> prefixes) {
        List<Map.Entry<String, String>> byLength = new ArrayList<>(prefixes.entrySet());
        byLength.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed());
        return name -> {
            for (var e : byLength) if (name.startsWith(e.getKey())) return e.getValue() + name.substring(e.getKey().length());
            return name;
        };
    }

    private static String checkedName(UnaryOperator<String> rename, String name) {
        String n = rename.apply(name);
        if (n == null || n.isEmpty()) throw new IllegalArgumentException("TorchNames: the name map sent '" + name + "' to an empty name");
        return n;
    }

    private static List<Slot> slots(Object model) {
        List<Slot> out = new ArrayList<>();
        walk(model, "", out);
        return out;
    }

    private static List<String> batchNormPrefixes(Object model) {
        List<String> out = new ArrayList<>();
        collectBatchNorms(model, "", out);
        return out;
    }

    private static void collectBatchNorms(Object layer, String prefix, List<String> out) {
        if (layer instanceof Chain c) for (int i = 0; i < c.size(); i++) collectBatchNorms(c.get(i), prefix + i + ".", out);
        else if (layer instanceof BatchNorm) out.add(prefix);
    }

    private static void walk(Object layer, String p, List<Slot> out) {
        switch (layer) {
            case Chain c -> { for (int i = 0; i < c.size(); i++) walk(c.get(i), p + i + ".", out); }
            case Dense d -> { param(out, p + "weight", d.w()); param(out, p + "bias", d.b()); }
            case Linear l -> { param(out, p + "weight", l.w()); param(out, p + "bias", l.b()); }
            case Conv c -> {
                param(out, p + "weight", c.w());
                Param b = c.b();   // (1, out, 1, 1) here, (out) in PyTorch
                out.add(new Slot(p + "bias", reshape(b.data(), Shape.of(b.shape().dim(1))), t -> b.set(reshape(t, b.shape()))));
            }
            case BatchNorm bn -> {
                param(out, p + "weight", bn.gamma());
                param(out, p + "bias", bn.beta());
                BatchNormStats s = bn.stats();
                out.add(new Slot(p + "running_mean", s.mean(), t -> s.set(t, s.var())));
                out.add(new Slot(p + "running_var", s.var(), t -> s.set(s.mean(), t)));
            }
            case LayerNorm ln -> { param(out, p + "weight", ln.gamma()); param(out, p + "bias", ln.beta()); }
            case Embed e -> param(out, p + "weight", e.table());
            case Recurrent r -> {
                if (r.embed() != null)
                    throw new IllegalArgumentException("TorchNames: " + r + " holds an embedding, which PyTorch's " + r.getClass().getSimpleName()
                            + " does not; export the embedding as a layer of its own (Embed, then the recurrent layer)");
                for (int l = 0; l < r.layers(); l++)
                    for (int d = 0; d < r.directions(); d++) {
                        String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
                        CellWeights w = r.weights(l, d);
                        param(out, p + "weight_ih" + suffix, w.wIh());
                        param(out, p + "weight_hh" + suffix, w.wHh());
                        param(out, p + "bias_ih" + suffix, w.bIh());
                        param(out, p + "bias_hh" + suffix, w.bHh());
                    }
            }
            default -> Params.named(layer).forEach((name, w) -> param(out, p + name, w));
        }
    }

    private static void param(List<Slot> out, String name, Param w) { out.add(new Slot(name, w.data(), w::set)); }

    private static Tensor reshape(Tensor t, Shape s) { return t.backend().memory().fromArray(t.toDoubleArray(), s, t.dtype()); }
}
