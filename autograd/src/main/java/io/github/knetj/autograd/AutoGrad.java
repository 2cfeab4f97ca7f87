package io.github.knetj.autograd;

import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.TensorFormat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The whole autograd core: values, parameters, the tape and reverse mode, in one file.
 * <p>
 * While {@link #diff} runs a function, every op (see {@link Ops}) records a {@link Node}: its inputs, its outputs and
 * a {@link MultiRule} for sending the gradients of its outputs back to its inputs. {@link #diff} then walks the nodes
 * from the result to the parameters in reverse topological order, applying the chain rule. A rule sees the op's
 * outputs as well as their gradients, and an op may have several outputs (a recurrent layer's y, h and c). Rules are
 * written with the same differentiable ops, so a {@code diff} inside another {@code diff} records its gradients too:
 * higher-order gradients.
 */
public final class AutoGrad {
    private AutoGrad() {}

    /** How an op with one output y sends back dy, the gradient of y: one gradient per input, null where there is none. */
    @FunctionalInterface
    public interface Rule { Value[] back(Value dy, Value y); }

    /** The same for an op with several outputs: dys[k] is the gradient of ys[k], or null when none reached it. */
    @FunctionalInterface
    public interface MultiRule { Value[] back(Value[] dys, Value[] ys); }

    /** One recorded op: its name, inputs, outputs and rule. A parameter is a node with no inputs and no rule. */
    static final class Node {
        final String op;
        final Value[] inputs;
        final MultiRule rule;
        Value[] outputs;

        Node(String op, Value[] inputs, MultiRule rule) { this.op = op; this.inputs = inputs; this.rule = rule; }
    }

    /** A tensor in the graph: the data, and the node that made it (null for a constant), of which it is output index. */
    public static class Value {
        Tensor data;
        final String op;
        final Node node;

        Value(Tensor data, String op, Node node) { this.data = data; this.op = op; this.node = node; }

        /** A constant: gradients do not flow into it. */
        public Value(Tensor data) { this(data, "const", null); }

        public Tensor data() { return data; }
        public Shape shape() { return data.shape(); }
        public io.github.knetj.api.DType dtype() { return data.dtype(); }
        public io.github.knetj.api.Backend backend() { return data.backend(); }
        /** The only element, as a double. */
        public double item() { return data.item(); }
        /** Whether gradients flow through this value: a parameter, or an op result recorded during diff. */
        public boolean tracked() { return node != null; }
        /** The op that made this value ("const", "param", "tanh", ...). */
        public String op() { return op; }
        /** The values the op that made this one read (none for constants, parameters and unrecorded results). */
        public List<Value> inputs() { return node == null ? List.of() : Collections.unmodifiableList(java.util.Arrays.asList(node.inputs)); }
        @Override public String toString() { return (op.equals("const") ? "" : op + " → ") + TensorFormat.format(data); }
    }

    /** A trainable tensor (Knet's {@code Param}): always tracked; optimizers replace its data and keep state in {@code opt}. */
    public static final class Param extends Value {
        /** Optimizer state (moments, step count), owned by the optimizer that updates this parameter. */
        public Object opt;
        public Param(Tensor data) {
            super(data, "param", new Node("param", new Value[0], null));
            node.outputs = new Value[]{this};
        }
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

    /** Records an op with one output: only when recording and some input is tracked (else the result is a constant). */
    public static Value record(String op, Tensor out, Rule rule, Value... inputs) {
        return recordAll(op, new Tensor[]{out}, (dys, ys) -> rule.back(dys[0], ys[0]), inputs)[0];
    }

    /** Records an op with several outputs as one node with one rule. */
    public static Value[] recordAll(String op, Tensor[] outs, MultiRule rule, Value... inputs) {
        Node node = null;
        if (recording()) for (Value in : inputs) if (in != null && in.tracked()) { node = new Node(op, inputs, rule); break; }
        Value[] ys = new Value[outs.length];
        for (int k = 0; k < outs.length; k++) ys[k] = new Value(outs[k], op, node);
        if (node != null) node.outputs = ys;
        return ys;
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
            List<Node> order = topologicalOrder(y);
            for (int i = order.size() - 1; i >= 0; i--) {
                Node n = order.get(i);
                if (n.rule == null) continue;   // a parameter: its gradient is in grads
                Value[] dys = new Value[n.outputs.length];
                boolean any = false;
                for (int k = 0; k < dys.length; k++) any |= (dys[k] = grads.get(n.outputs[k])) != null;
                if (!any) continue;
                Value[] gs = n.rule.back(dys, n.outputs);
                for (int k = 0; k < n.inputs.length; k++) {
                    Value in = n.inputs[k];
                    if (in == null || gs[k] == null || !in.tracked()) continue;
                    grads.merge(in, gs[k], Ops::add);   // a value used twice gets the sum of its gradients
                }
            }
        } finally {
            paused[0] = was;
        }
        return grads;
    }

    /** Nodes reachable from y, every node after the nodes of its inputs: an iterative depth-first search. */
    static List<Node> topologicalOrder(Value y) {
        List<Node> order = new ArrayList<>();
        if (y.node == null) return order;
        var seen = Collections.<Node>newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object[]> stack = new ArrayDeque<>();   // {node, index of the next input to visit}
        stack.push(new Object[]{y.node, 0});
        seen.add(y.node);
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            Node n = (Node) top[0];
            int next = (int) top[1];
            if (next < n.inputs.length) {
                top[1] = next + 1;
                Value in = n.inputs[next];
                if (in != null && in.tracked() && seen.add(in.node)) stack.push(new Object[]{in.node, 0});
            } else {
                stack.pop();
                order.add(n);
            }
        }
        return order;
    }
}
