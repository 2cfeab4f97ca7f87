package io.github.knetj.layers.transformer;

import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.io.SafeTensors;
import io.github.knetj.layers.Params;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A model's parameters under PyTorch's {@code state_dict} names: the field paths of {@link Params#named} with the
 * last part spelt as PyTorch spells it ({@code w}, {@code gamma}, {@code table} → {@code weight}; {@code b},
 * {@code beta} → {@code bias}). The transformer layers name their parts as PyTorch's modules do, so
 * {@code self_attn.out_proj.w} reads {@code self_attn.out_proj.weight} and a PyTorch checkpoint saved with
 * {@code safetensors.torch.save_file(model.state_dict(), …)} loads with {@link #load}.
 */
public final class StateDict {
    private StateDict() {}

    private static final Map<String, String> TORCH = Map.of("w", "weight", "gamma", "weight", "table", "weight", "b", "bias", "beta", "bias");

    /** Every parameter of model by its PyTorch name, in field order. */
    public static Map<String, Param> named(Object model) {
        Map<String, Param> out = new LinkedHashMap<>();
        Params.named(model).forEach((path, p) -> {
            int dot = path.lastIndexOf('.');
            String last = path.substring(dot + 1);
            out.put(path.substring(0, dot + 1) + TORCH.getOrDefault(last, last), p);
        });
        return out;
    }

    /**
     * Loads a safetensors file of PyTorch names into model, converting to each parameter's backend and dtype. Every
     * name must match both ways and every shape must agree, or nothing changes and the error lists what differs.
     */
    public static void load(Object model, Path path) throws IOException {
        Map<String, Param> params = named(model);
        if (params.isEmpty()) throw new IllegalArgumentException("StateDict.load: " + model + " has no parameters");
        Map<String, Tensor> file = SafeTensors.load(path, params.values().iterator().next().data().backend(), null);
        List<String> problems = new ArrayList<>();
        TreeSet<String> unused = new TreeSet<>(file.keySet());
        params.forEach((name, p) -> {
            Tensor t = file.get(name);
            unused.remove(name);
            if (t == null) problems.add("missing '" + name + "' " + p.shape());
            else if (!t.shape().equals(p.shape())) problems.add("'" + name + "' is " + t.shape() + " in the file, " + p.shape() + " in the model");
        });
        if (!unused.isEmpty()) problems.add("the file holds names the model does not have: " + unused);
        if (!problems.isEmpty())
            throw new IllegalArgumentException("StateDict.load " + path + " into " + model + ": " + String.join("; ", problems) + " (the model has " + params.keySet() + ")");
        params.forEach((name, p) -> p.set(file.get(name).to(p.data().backend()).to(p.data().dtype())));
    }

    /** Writes model's parameters under their PyTorch names, for {@code safetensors.torch.load_file}. */
    public static void save(Object model, Path path) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        named(model).forEach((name, p) -> tensors.put(name, p.data()));
        SafeTensors.save(path, tensors, Map.of("format", "pt"));
    }
}
