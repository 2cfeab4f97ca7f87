package io.github.knetj.autograd;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Conv2d;
import io.github.knetj.api.DType;
import io.github.knetj.api.Pool2d;
import io.github.knetj.api.Shape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.tck.conformance.Attrs;
import io.github.knetj.tck.conformance.Case;
import io.github.knetj.tck.conformance.NamedArray;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * How each op family of the PyTorch conformance vectors runs through {@link Ops} and {@link NNOps}: one line (or a
 * few) per family, from the case's attributes and inputs to its outputs by name. The recurrent families are run by
 * {@code RNNConformanceTest} through {@link RNNOps}.
 */
final class ConformanceOps {
    private ConformanceOps() {}

    /** Runs one op family: attributes and inputs in, outputs by name out. */
    @FunctionalInterface
    interface Mapping { Map<String, Value> apply(Attrs a, Inputs in); }

    /**
     * The inputs of a case on a backend in a dtype: float inputs as values (parameters, so that they get gradients),
     * integer inputs (labels, indices) read from the case.
     *
     * @param c       the case
     * @param values  the float inputs by name
     * @param backend where they live
     * @param dtype   their dtype
     */
    record Inputs(Case c, Map<String, ? extends Value> values, Backend backend, DType dtype) {
        Value get(String name) {
            Value v = values.get(name);
            if (v == null) throw new IllegalArgumentException("conformance case '" + c.name() + "' has no float input '" + name + "' (has " + values.keySet() + ")");
            return v;
        }

        boolean has(String name) { return values.containsKey(name); }

        int[] ints(String name) { return c.input(name).ints(); }

        Shape shape(String name) { return c.input(name).shape(); }

        /** Every float input, in the case's order. */
        Value[] all() {
            List<Value> out = new ArrayList<>();
            for (NamedArray a : c.inputs()) if (values.containsKey(a.name())) out.add(values.get(a.name()));
            return out.toArray(Value[]::new);
        }
    }

    /** The op families run here, by the vectors' op name. */
    static final Map<String, Mapping> OPS = build();

    private static Map<String, Value> y(Value v) { return Map.of("y", v); }

    private static void unary(Map<String, Mapping> m, String op, UnaryOperator<Value> f) { m.put(op, (a, in) -> y(f.apply(in.get("x")))); }

    private static void binary(Map<String, Mapping> m, String op, BinaryOperator<Value> f) { m.put(op, (a, in) -> y(f.apply(in.get("a"), in.get("b")))); }

    /** The reduction axes of a case: absent or null means every axis. */
    private static int[] axes(Attrs a) { return a.has("axes") ? a.getInts("axes") : new int[0]; }

    private static Map<String, Mapping> build() {
        Map<String, Mapping> m = new LinkedHashMap<>();
        unary(m, "neg", Ops::neg);
        unary(m, "exp", Ops::exp);
        unary(m, "log", Ops::log);
        unary(m, "sqrt", Ops::sqrt);
        unary(m, "tanh", Ops::tanh);
        unary(m, "sigmoid", Ops::sigm);
        unary(m, "relu", Ops::relu);
        unary(m, "abs", Ops::abs);
        unary(m, "selu", Ops::selu);
        unary(m, "softplus", Ops::softplus);
        unary(m, "reciprocal", Ops::reciprocal);
        unary(m, "square", Ops::square);
        unary(m, "logsigmoid", Ops::logsigmoid);
        m.put("elu", (a, in) -> y(Ops.elu(in.get("x"), a.getDouble("alpha"))));
        m.put("leaky_relu", (a, in) -> y(Ops.leakyRelu(in.get("x"), a.getDouble("slope"))));
        m.put("gelu", (a, in) -> switch (a.getString("approximate")) {
            case "none" -> y(Ops.gelu(in.get("x")));
            case "tanh" -> y(Ops.geluTanh(in.get("x")));
            default -> throw new IllegalArgumentException("gelu: approximate must be none or tanh, got " + a);
        });
        unary(m, "silu", Ops::silu);
        unary(m, "mish", Ops::mish);
        unary(m, "softsign", Ops::softsign);
        binary(m, "add", Ops::add);
        binary(m, "sub", Ops::sub);
        binary(m, "mul", Ops::mul);
        binary(m, "div", Ops::div);
        binary(m, "pow", Ops::pow);
        binary(m, "maximum", Ops::maximum);
        binary(m, "minimum", Ops::minimum);
        binary(m, "matmul", Ops::matmul);
        m.put("sum", (a, in) -> y(Ops.sum(in.get("x"), a.getBoolean("keepdims"), axes(a))));
        m.put("mean", (a, in) -> y(Ops.mean(in.get("x"), a.getBoolean("keepdims"), axes(a))));
        m.put("max", (a, in) -> y(Ops.max(in.get("x"), a.getBoolean("keepdims"), axes(a))));
        m.put("logsumexp", (a, in) -> y(Ops.logsumexp(in.get("x"), a.getBoolean("keepdims"), a.getInt("axis"))));
        m.put("softmax", (a, in) -> y(NNOps.softmax(in.get("x"), a.getInt("axis"))));
        m.put("log_softmax", (a, in) -> y(NNOps.logsoftmax(in.get("x"), a.getInt("axis"))));
        m.put("linear", (a, in) -> y(Ops.linear(in.get("x"), in.get("w"), in.has("b") ? in.get("b") : null)));
        m.put("transpose", (a, in) -> y(Ops.permute(in.get("x"), a.getInts("perm"))));
        m.put("reshape", (a, in) -> y(Ops.reshape(in.get("x"), a.getInts("shape"))));
        m.put("concat", (a, in) -> y(Ops.concat(a.getInt("axis"), in.all())));
        m.put("slice", (a, in) -> y(Ops.slice(in.get("x"), a.getInt("axis"), a.getInt("start"), a.getInt("end"))));
        convolutionAndPooling(m);
        lossesAndNormalisation(m);
        m.put("embedding", (a, in) -> y(NNOps.embed(in.get("weight"), in.ints("indices"), in.shape("indices").dims())));
        m.put("attention", (a, in) -> y(NNOps.attention(in.get("q"), in.get("k"), in.get("v"), a.getBoolean("causal"))));
        transformers(m);
        return m;
    }

    /** A pair attribute ([h, w]) or its default on both axes. */
    private static int[] pair(Attrs a, String key, int fallback) { return a.has(key) ? a.getInts(key) : new int[]{fallback, fallback}; }

    /** y + b with b (C) added per channel of an NCHW y, when the case has a bias. */
    private static Value withBias(Value y, Inputs in) {
        return in.has("b") ? Ops.add(y, Ops.reshape(in.get("b"), 1, y.shape().dim(1), 1, 1)) : y;
    }

    private static void convolutionAndPooling(Map<String, Mapping> m) {
        m.put("conv2d", (a, in) -> {
            int[] s = pair(a, "stride", 1), p = pair(a, "padding", 0), d = pair(a, "dilation", 1);
            Conv2d spec = new Conv2d(s[0], s[1], p[0], p[1], d[0], d[1]);
            // With a bias, the fused primitive (conv4 and the bias in one op, as the Conv layer runs it).
            return y(in.has("b") ? NNOps.conv4(in.get("w"), in.get("x"), Ops.reshape(in.get("b"), 1, in.get("w").shape().dim(0), 1, 1), spec)
                    : NNOps.conv4(in.get("w"), in.get("x"), spec));
        });
        m.put("conv_transpose2d", (a, in) -> {
            int[] s = pair(a, "stride", 1), p = pair(a, "padding", 0), d = pair(a, "dilation", 1), op = pair(a, "output_padding", 0);
            if (op[0] != op[1]) throw new IllegalArgumentException("conv_transpose2d: deconv4 takes one output padding for both axes, got " + a);
            return y(withBias(NNOps.deconv4(in.get("w"), in.get("x"), new Conv2d(s[0], s[1], p[0], p[1], d[0], d[1]), op[0]), in));
        });
        m.put("max_pool2d", (a, in) -> y(NNOps.pool(in.get("x"), pool(a, true))));
        m.put("avg_pool2d", (a, in) -> y(NNOps.avgpool(in.get("x"), pool(a, a.getBoolean("count_include_pad")))));
    }

    private static Pool2d pool(Attrs a, boolean countIncludePad) {
        int[] w = a.getInts("window"), s = a.has("stride") ? a.getInts("stride") : w, p = pair(a, "padding", 0);   // PyTorch: stride defaults to the window
        return new Pool2d(w[0], w[1], s[0], s[1], p[0], p[1], countIncludePad);
    }

    private static void lossesAndNormalisation(Map<String, Mapping> m) {
        m.put("nll_loss", (a, in) -> y(NNOps.nll(in.get("logp"), meanOnly(a, in).ints("target"))));
        m.put("cross_entropy", (a, in) -> y(NNOps.crossEntropy(in.get("logits"), meanOnly(a, in).ints("target"),
                a.has("ignore_index") ? a.getInt("ignore_index") : -100, a.has("label_smoothing") ? a.getDouble("label_smoothing") : 0)));
        m.put("bce_with_logits", (a, in) -> y(NNOps.bce(in.get("logits"), meanOnly(a, in).get("target"))));
        m.put("mse_loss", (a, in) -> y(NNOps.mse(in.get("x"), meanOnly(a, in).get("target"))));
        m.put("batch_norm", (a, in) -> {
            Value x = in.get("x");
            Shape c = Shape.of(x.shape().dim(1));
            BatchNormStats stats = new BatchNormStats(in.backend().memory().zeros(c, in.dtype()), in.backend().memory().ones(c, in.dtype()));
            Value y = NNOps.batchnorm(x, in.get("weight"), in.get("bias"), stats, a.getBoolean("training"), a.getDouble("momentum"), a.getDouble("eps"));
            Map<String, Value> out = new LinkedHashMap<>();
            out.put("y", y);
            out.put("running_mean", new Value(stats.mean()));
            out.put("running_var", new Value(stats.var()));
            return out;
        });
        m.put("layer_norm", (a, in) -> {
            Value x = in.get("x");
            int[] normalized = a.getInts("normalized_shape");
            if (normalized.length != 1 || normalized[0] != x.shape().dim(-1))
                throw new IllegalArgumentException("layer_norm: layernorm normalises the last axis only, got " + a + " for x " + x.shape());
            return y(NNOps.layernorm(x, in.get("weight"), in.get("bias"), a.getDouble("eps")));
        });
    }

    /** The losses reduce by the mean, as PyTorch's default; any other reduction is a case we cannot run. */
    private static Inputs meanOnly(Attrs a, Inputs in) {
        if (!a.getString("reduction").equals("mean")) throw new IllegalArgumentException("losses reduce by the mean, got " + a);
        return in;
    }

    private static void transformers(Map<String, Mapping> m) {
        m.put("multi_head_attention", (a, in) -> {
            Value q = in.get("query"), k = in.get("key");
            Value mask = a.getBoolean("causal") ? AttentionOps.causalMask(q.shape().dim(1), k.shape().dim(1), q) : null;
            if (in.c().inputs().stream().anyMatch(x -> x.name().equals("key_padding_mask"))) {
                Value pad = AttentionOps.keyPaddingMask(in.ints("key_padding_mask"), k.shape().dim(0), k.shape().dim(1), q);
                mask = mask == null ? pad : Ops.add(mask, pad);
            }
            return y(AttentionOps.multiHeadAttention(q, k, in.get("value"), in.get("in_proj_weight"), in.get("in_proj_bias"),
                    in.get("out_proj_weight"), in.get("out_proj_bias"), AttentionOps.Options.of(a.getInt("num_heads"), mask)).y());
        });
        m.put("transformer_encoder_layer", (a, in) -> {
            if (a.getDouble("dropout") != 0) throw new IllegalArgumentException("transformer_encoder_layer: the vectors must be deterministic (dropout 0), got " + a);
            double eps = a.getDouble("layer_norm_eps");
            boolean gelu = switch (a.getString("activation")) {
                case "gelu" -> true;
                case "relu" -> false;
                default -> throw new IllegalArgumentException("transformer_encoder_layer: activation must be gelu or relu, got " + a);
            };
            UnaryOperator<Value> attend = x -> AttentionOps.multiHeadAttention(x, x, x, in.get("self_attn.in_proj_weight"), in.get("self_attn.in_proj_bias"),
                    in.get("self_attn.out_proj.weight"), in.get("self_attn.out_proj.bias"), AttentionOps.Options.of(a.getInt("num_heads"), null)).y();
            UnaryOperator<Value> feedForward = x -> {
                Value hidden = Ops.linear(x, in.get("linear1.weight"), in.get("linear1.bias"));
                return Ops.linear(gelu ? Ops.gelu(hidden) : Ops.relu(hidden), in.get("linear2.weight"), in.get("linear2.bias"));
            };
            UnaryOperator<Value> norm1 = x -> NNOps.layernorm(x, in.get("norm1.weight"), in.get("norm1.bias"), eps);
            UnaryOperator<Value> norm2 = x -> NNOps.layernorm(x, in.get("norm2.weight"), in.get("norm2.bias"), eps);
            Value x = in.get("x");
            if (a.getBoolean("norm_first")) {
                x = Ops.add(x, attend.apply(norm1.apply(x)));
                return y(Ops.add(x, feedForward.apply(norm2.apply(x))));
            }
            x = norm1.apply(Ops.add(x, attend.apply(x)));
            return y(norm2.apply(Ops.add(x, feedForward.apply(x))));
        });
    }
}
