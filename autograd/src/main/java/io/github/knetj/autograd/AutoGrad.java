package io.github.knetj.autograd;

import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.TensorFormat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The whole autograd core: values, parameters, the tape and reverse mode, in one file.
 * <p>
 * While {@link #diff} runs a function, every op (see {@link Ops}) wraps its output in a {@link Value} that remembers
 * its inputs and a {@link Rule} for sending a gradient back to them. {@link #diff} then walks that graph from the
 * result to the parameters in reverse topological order, applying the chain rule. Rules are written with the same
 * differentiable ops, so a {@code diff} inside another {@code diff} records its gradients too: higher-order gradients.
 */
public final class AutoGrad {
    private AutoGrad() {}

    /** How an op sends the gradient {@code g} of its output back: one gradient per input, null where there is none. */
    @FunctionalInterface
    public interface Rule { Value[] back(Value g); }

    /** A tensor in the graph: the data, the op that made it, its inputs and the rule to differentiate it. */
    public static class Value {
        Tensor data;
        final String op;
        final Value[] inputs;
        final Rule rule;

        Value(Tensor data, String op, Value[] inputs, Rule rule) { this.data = data; this.op = op; this.inputs = inputs; this.rule = rule; }

        /** A constant: gradients do not flow into it. */
        public Value(Tensor data) { this(data, "const", new Value[0], null); }

        public Tensor data() { return data; }
        public Shape shape() { return data.shape(); }
        public io.github.knetj.api.DType dtype() { return data.dtype(); }
        public io.github.knetj.api.Backend backend() { return data.backend(); }
        /** The only element, as a double. */
        public double item() { return data.item(); }
        /** Whether gradients flow through this value: a parameter, or an op result recorded during diff. */
        public boolean tracked() { return rule != null; }
        /** The op that made this value ("const", "param", "tanh", ...). */
        public String op() { return op; }
        @Override public String toString() { return (op.equals("const") ? "" : op + " → ") + TensorFormat.format(data); }
    }

    /** A trainable tensor (Knet's {@code Param}): always tracked; optimizers replace its data and keep state in {@code opt}. */
    public static final class Param extends Value {
        /** Optimizer state (moments, step count), owned by the optimizer that updates this parameter. */
        public Object opt;
        public Param(Tensor data) { super(data, "param", new Value[0], g -> new Value[0]); }
        /** Replaces the data, for optimizers and loading; the shape must not change. */
        public void set(Tensor t) {
            if (!t.shape().equals(data.shape())) throw new IllegalArgumentException("Param.set: shape " + t.shape() + " differs from " + data.shape());
            data = t;
        }
        @Override public String toString() { return "Param" + TensorFormat.format(data).substring("Tensor".length()); }
    }

    /** The result of {@link #diff}: the value computed and the gradient of every tracked value it depends on. */
    public static final class Tape {
        private final Value result;
        private final Map<Value, Value> grads;
        Tape(Value result, Map<Value, Value> grads) { this.result = result; this.grads = grads; }
        /** The function's result (Knet's {@code value(J)}). */
        public Value result() { return result; }
        /** The result as a double. */
        public double value() { return result.item(); }
        /** ∂result/∂x, or null when the result does not depend on x (Knet's {@code grad(J, x)}). */
        public Value grad(Value x) { return grads.get(x); }
        /** Every parameter the result depends on, in the order they were reached. */
        public List<Param> params() {
            List<Param> ps = new ArrayList<>();
            for (Value v : grads.keySet()) if (v instanceof Param p) ps.add(p);
            return ps;
        }
        @Override public String toString() { return "Tape(value " + TensorFormat.format(result.data) + ", gradients of " + grads.size() + " values)"; }
    }

    /** How many diff calls are running on this thread; ops are recorded while it is positive. */
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
    private static final ThreadLocal<boolean[]> PAUSED = ThreadLocal.withInitial(() -> new boolean[1]);

    /** Whether ops are being recorded now. */
    public static boolean recording() { return DEPTH.get()[0] > 0 && !PAUSED.get()[0]; }

    /** Every op ends here: the output is recorded, with its rule, only when recording and some input is tracked. */
    public static Value record(String op, Tensor out, Rule rule, Value... inputs) {
        if (recording()) for (Value in : inputs) if (in != null && in.tracked()) return new Value(out, op, inputs, rule);
        return new Value(out, op, new Value[0], null);
    }

    /** Runs f, recording its ops, and differentiates its scalar result (Knet's {@code @diff}). */
    public static Tape diff(Supplier<Value> f) {
        int[] depth = DEPTH.get();
        depth[0]++;
        try {
            Value y = f.get();
            if (y.data.size() != 1) throw new IllegalArgumentException("diff: the function must return a scalar, got shape " + y.shape());
            return new Tape(y, backward(y, depth[0] > 1));
        } finally {
            depth[0]--;
        }
    }

    /** The gradient function of f, Knet's {@code grad(f)}: apply it to x to get ∂f/∂x; nest it for higher orders. */
    public static Function<Value, Value> grad(Function<Value, Value> f) {
        return x -> {
            Value p = x.tracked() ? x : new Param(x.data);
            Value g = diff(() -> f.apply(p)).grad(p);
            return g != null ? g : Ops.zerosLike(p);
        };
    }

    /** Reverse mode: gradients of y for every tracked value it depends on; recorded only for higher orders. */
    private static Map<Value, Value> backward(Value y, boolean higherOrder) {
        Map<Value, Value> grads = new IdentityHashMap<>();
        boolean[] paused = PAUSED.get();
        boolean was = paused[0];
        paused[0] = !higherOrder;
        try {
            grads.put(y, Ops.onesLike(y));
            List<Value> order = topologicalOrder(y);
            for (int i = order.size() - 1; i >= 0; i--) {
                Value v = order.get(i);
                Value g = grads.get(v);
                if (g == null || v.inputs.length == 0) continue;
                Value[] gs = v.rule.back(g);
                for (int k = 0; k < v.inputs.length; k++) {
                    Value in = v.inputs[k];
                    if (in == null || gs[k] == null || !in.tracked()) continue;
                    grads.merge(in, gs[k], Ops::add);   // a value used twice gets the sum of its gradients
                }
            }
        } finally {
            paused[0] = was;
        }
        return grads;
    }

    /** Values reachable from y, every value after its inputs: an iterative depth-first search (no recursion). */
    static List<Value> topologicalOrder(Value y) {
        List<Value> order = new ArrayList<>();
        Set<Value> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object[]> stack = new ArrayDeque<>();   // {value, index of the next input to visit}
        stack.push(new Object[]{y, 0});
        seen.add(y);
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            Value v = (Value) top[0];
            int next = (int) top[1];
            if (next < v.inputs.length) {
                top[1] = next + 1;
                Value in = v.inputs[next];
                if (in != null && in.tracked() && seen.add(in)) stack.push(new Object[]{in, 0});
            } else {
                stack.pop();
                order.add(v);
            }
        }
        return order;
    }
}
