package io.github.knetj.autograd.check;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.NNOps;
import io.github.knetj.autograd.Ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The catalog of differentiable ops: one {@link Entry} per op of {@link Ops} and {@link NNOps} (and per interesting
 * variant: transpose flags, causal attention, ...), each able to draw random cases — shapes, attributes and values —
 * from a seeded {@link SplittableRandom}. Values keep away from kinks and poles (|x| ≥ 0.2 where relu, abs or max
 * would break, positive bases for log, sqrt and pow, well separated values where max, maximum or max pooling choose)
 * so that finite differences are meaningful. Used by the gradient-check tests and by {@code knetj gradcheck}.
 */
public final class OpCatalog {
    private static final Map<String, Entry> ENTRIES = build();

    private OpCatalog() {}

    /**
     * A catalogued op.
     *
     * @param name    the op's name in the gradcheck table ("conv4", "matmul3d2d")
     * @param sampler draws a random case
     */
    public record Entry(String name, Function<SplittableRandom, Case> sampler) {
        /** A random case of this op; the same random state gives the same case. */
        public Case sample(SplittableRandom random) { return sampler.apply(random); }

        @Override public String toString() { return name; }
    }

    /**
     * One named input of a case: its shape and row-major values.
     *
     * @param name   the input's name ("x", "w")
     * @param shape  its shape
     * @param values its values, row-major
     */
    public record Input(String name, Shape shape, double[] values) {
        /** This input as a tensor of the backend and dtype. */
        public Tensor tensor(Backend backend, DType dtype) { return backend.memory().fromArray(values.clone(), shape, dtype); }
    }

    /**
     * A random instance of an op: the differentiable inputs and the function of them; non-differentiable arguments
     * (labels, indices, strides, seeds) are fixed inside the function and described by {@code attrs}.
     *
     * @param op     the entry's name
     * @param attrs  the fixed arguments, as text ("stride=2 pad=1")
     * @param inputs the differentiable inputs
     * @param f      the op applied to values of the inputs, in order
     */
    public record Case(String op, String attrs, List<Input> inputs, Function<List<Value>, Value> f) {
        /** The inputs' names, in order. */
        public List<String> names() { return inputs.stream().map(Input::name).toList(); }

        /** The inputs as tensors of the backend and dtype, in order. */
        public List<Tensor> tensors(Backend backend, DType dtype) {
            List<Tensor> ts = new ArrayList<>();
            for (Input in : inputs) ts.add(in.tensor(backend, dtype));
            return ts;
        }

        /** The op applied to values, one per input. */
        public Value apply(List<Value> xs) { return f.apply(xs); }

        /** Checks the gradients of this case with GradCheck on a backend. */
        public GradCheck.Report check(GradCheck.Options options, Backend backend) {
            return options.check(f, names(), tensors(backend, options.dtype()));
        }

        @Override public String toString() {
            StringBuilder sb = new StringBuilder(op).append('(');
            for (int i = 0; i < inputs.size(); i++) sb.append(i == 0 ? "" : ", ").append(inputs.get(i).name()).append(inputs.get(i).shape());
            return sb.append(attrs.isEmpty() ? "" : "; " + attrs).append(')').toString();
        }
    }

    /** Every entry, in catalog order. */
    public static List<Entry> entries() { return List.copyOf(ENTRIES.values()); }

    /** Every entry's name, in catalog order. */
    public static List<String> names() { return List.copyOf(ENTRIES.keySet()); }

    /** The entry of this name, or an error listing the names there are. */
    public static Entry entry(String name) {
        Entry e = ENTRIES.get(name);
        if (e == null) throw new IllegalArgumentException("OpCatalog: no op named '" + name + "'; known ops: " + String.join(", ", ENTRIES.keySet()));
        return e;
    }

    private static Map<String, Entry> build() {
        Map<String, Entry> m = new LinkedHashMap<>();
        List<Entry> list = new ArrayList<>();
        MathCatalog.addTo(list);
        NNCatalog.addTo(list);
        AttentionCatalog.addTo(list);
        for (Entry e : list) if (m.put(e.name(), e) != null) throw new IllegalStateException("OpCatalog: duplicate entry " + e.name());
        return m;
    }
}
