package io.github.knetj.io;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.BatchNormStats;
import io.github.knetj.layers.Params;
import io.github.knetj.optim.Optimizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Saving and loading of a whole model as one safetensors file: every parameter under its {@link Params#named} name
 * ("layers.0.w"), batch-norm running statistics under "&lt;path&gt;.running_mean" and "&lt;path&gt;.running_var",
 * and, when an optimizer is given, its state under "optim/&lt;param name&gt;/&lt;slot&gt;" with the optimizer's name
 * and step count in the metadata. PyTorch reads the file with {@code safetensors.torch.load_file}.
 */
public final class ModelIO {
    /** The value of the "format" metadata entry of files written here. */
    public static final String FORMAT = "knetj-model/1";
    private static final String OPTIM = "optim/";

    private ModelIO() {}

    /** Writes model (and the optimizer's state, when opt is not null) to {@code path}, atomically. */
    public static void save(Path path, Object model, Optimizer opt) throws IOException { save(path, model, opt, Map.of()); }

    /**
     * The same, with {@code notes} added to the file's metadata: what a reader needs besides the weights, such as how
     * the inputs were scaled. Read them back with {@link SafeTensors#metadata}.
     */
    public static void save(Path path, Object model, Optimizer opt, Map<String, String> notes) throws IOException {
        Map<String, Param> params = Params.named(model);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        params.forEach((name, p) -> tensors.put(name, p.data()));
        ModelWalk.batchNormStats(model).forEach((name, s) -> {
            tensors.put(name + ".running_mean", s.mean());
            tensors.put(name + ".running_var", s.var());
        });
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        notes.forEach((k, v) -> {
            if (k.equals("format") || k.startsWith("optimizer")) throw new IllegalArgumentException("ModelIO.save: metadata key '" + k + "' is ModelIO's own");
            meta.put(k, v);
        });
        if (opt != null) {
            meta.put("optimizer", opt.name());
            meta.put("optimizer.steps", Long.toString(opt.steps()));
            meta.put("optimizer.lr", Double.toString(opt.baseLr()));
            params.forEach((name, p) -> opt.state(p).forEach((k, t) -> tensors.put(OPTIM + name + "/" + k, t)));
        }
        SafeTensors.save(path, tensors, meta);
    }

    /**
     * Loads a file written by {@link #save} into model (parameters and running statistics, converted to each
     * parameter's dtype and backend) and, when opt is not null, the optimizer's state and step count. Everything is
     * checked before anything changes: a missing or unexpected name, a shape mismatch or another optimizer's state is
     * an error naming it, and the model is left as it was.
     */
    public static void load(Path path, Object model, Optimizer opt) throws IOException {
        Map<String, Param> params = Params.named(model);
        Map<String, BatchNormStats> stats = ModelWalk.batchNormStats(model);
        if (params.isEmpty()) throw new IllegalArgumentException("ModelIO.load: " + model.getClass().getName() + " has no parameters to load into");
        Backend backend = params.values().iterator().next().data().backend();
        SafeTensors.Contents file = SafeTensors.read(path, backend, null);
        Map<String, Tensor> all = file.tensors();

        List<String> problems = new ArrayList<>();
        TreeSet<String> unused = new TreeSet<>(all.keySet());
        Map<Param, Tensor> newParams = new LinkedHashMap<>();
        params.forEach((name, p) -> newParams.put(p, take(all, unused, name, p.data(), problems)));
        Map<BatchNormStats, Tensor[]> newStats = new LinkedHashMap<>();
        stats.forEach((name, s) -> newStats.put(s, new Tensor[]{
                take(all, unused, name + ".running_mean", s.mean(), problems), take(all, unused, name + ".running_var", s.var(), problems)}));

        Map<Param, Map<String, Tensor>> newState = new LinkedHashMap<>();
        long steps = 0;
        boolean hasOptim = unused.stream().anyMatch(k -> k.startsWith(OPTIM));
        if (opt != null) {
            String saved = file.metadata().get("optimizer");
            if (!hasOptim && saved == null) {
                problems.add("the file holds no optimizer state (load with a null optimizer to read the parameters only)");
            } else if (!opt.name().equals(saved)) {
                problems.add("the file holds the state of optimizer '" + saved + "', not of '" + opt.name() + "'");
            } else {
                steps = parseSteps(file.metadata().get("optimizer.steps"), problems);
                params.forEach((name, p) -> {
                    // A parameter the optimizer never updated has no state, in the file as in memory.
                    if (!hasOptimFor(all, name)) return;
                    Map<String, Tensor> st = new LinkedHashMap<>();
                    for (String slot : opt.stateNames()) st.put(slot, take(all, unused, OPTIM + name + "/" + slot, p.data(), problems));
                    Tensor step = all.get(OPTIM + name + "/step");
                    unused.remove(OPTIM + name + "/step");
                    if (step == null || step.size() != 1) problems.add("missing or malformed '" + OPTIM + name + "/step'");
                    st.put("step", step);
                    newState.put(p, st);
                });
            }
        } else {
            unused.removeIf(k -> k.startsWith(OPTIM));
        }
        if (!unused.isEmpty()) problems.add("the file holds names the model does not have: " + few(unused));
        if (!problems.isEmpty())
            throw new IllegalArgumentException("ModelIO.load " + path + " into " + model.getClass().getSimpleName() + ": " + String.join("; ", problems.stream().limit(10).toList())
                    + (problems.size() > 10 ? "; … and " + (problems.size() - 10) + " more problems" : "")
                    + " (the model has " + few(params.keySet()) + ")");

        newParams.forEach((p, t) -> p.set(t.to(p.data().backend()).to(p.data().dtype())));
        newStats.forEach((s, t) -> s.set(t[0].to(s.mean().backend()).to(s.mean().dtype()), t[1].to(s.var().backend()).to(s.var().dtype())));
        if (opt != null) {
            newState.forEach(opt::restore);
            opt.steps(steps);
        }
    }

    /** Whether a file holds an optimizer's state (a weights-only file, as PyTorch's save_file writes, does not). */
    public static boolean hasOptimizerState(Path path) throws IOException {
        return SafeTensors.metadata(path).containsKey("optimizer");
    }

    /**
     * The first ten items and a count of the rest: a file with a hundred thousand names made a message of 789 KB, which
     * no one reads.
     */
    static String few(java.util.Collection<String> items) {
        List<String> shown = items.stream().limit(10).map(HeaderParser::shorten).toList();
        return "[" + String.join(", ", shown) + (items.size() > 10 ? ", … and " + (items.size() - 10) + " more" : "") + "]";
    }

    /** The tensor saved under name, checked against the shape of like; null (and a problem noted) when it is not there. */
    private static Tensor take(Map<String, Tensor> all, TreeSet<String> unused, String name, Tensor like, List<String> problems) {
        Tensor t = all.get(name);
        unused.remove(name);
        if (t == null) { problems.add("missing '" + name + "'"); return null; }
        if (!t.shape().equals(like.shape())) { problems.add("'" + name + "' has shape " + t.shape() + " in the file but " + like.shape() + " in the model"); return null; }
        return t;
    }

    private static boolean hasOptimFor(Map<String, Tensor> all, String name) {
        String prefix = OPTIM + name + "/";
        return all.keySet().stream().anyMatch(k -> k.startsWith(prefix));
    }

    private static long parseSteps(String s, List<String> problems) {
        try {
            long n = Long.parseLong(s == null ? "0" : s);
            if (n >= 0) return n;
        } catch (NumberFormatException e) {
            // reported below as a problem of the file
        }
        problems.add("metadata optimizer.steps '" + s + "' is not a whole number ≥ 0");
        return 0;
    }
}
