package io.github.knetj.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.tck.BackendUnderTest;
import io.github.knetj.tck.Tolerance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every case of the optimizers section of the PyTorch conformance vectors (copied from ../shared/conformance/ops.json
 * into optimizers.json) on every backend, in float64 (1e-9 relative) and float32: three updates from the same start,
 * the parameter compared after each.
 */
class OptimizerConformanceTest {
    private static final List<String> BACKENDS = List.of("reference", "primitives", "cpu", "opencl", "cuda");

    static Stream<Arguments> cases() {
        JsonNode root;
        try (InputStream in = OptimizerConformanceTest.class.getResourceAsStream("optimizers.json")) {
            if (in == null) throw new IllegalStateException("test resource io/github/knetj/optim/optimizers.json is missing");
            root = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : root.get("optimizers"))
            for (String b : BACKENDS)
                for (DType d : DType.values()) out.add(Arguments.of(c.get("name").asText(), b, d, c));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on {1} in {2}")
    @MethodSource("cases")
    void matchesPyTorch(String name, String backendName, DType dtype, JsonNode c) {
        Backend backend = BackendUnderTest.get(backendName);
        Optimizer opt = optimizer(c.get("attrs"));
        Param p = new Param(tensor(backend, dtype, c.get("param")));
        JsonNode grads = c.get("grads");
        JsonNode after = c.get("after_each_step");
        for (int k = 0; k < grads.size(); k++) {
            opt.update(p, tensor(backend, dtype, grads.get(k)));
            opt.advance();
            Tolerance.assertClose(name + " step " + (k + 1) + " on " + backendName, doubles(after.get(k)), p.data(), dtype, false);
        }
    }

    /** The optimizer the case's attrs describe, through the public factories. */
    static Optimizer optimizer(JsonNode a) {
        double lr = a.get("lr").asDouble();
        Optimizer opt = switch (a.get("kind").asText()) {
            case "sgd", "sgd-weight-decay" -> Optimizers.sgd(lr);
            case "sgd-momentum" -> Optimizers.momentum(lr, a.get("momentum").asDouble());
            case "sgd-nesterov" -> Optimizers.nesterov(lr, a.get("momentum").asDouble());
            case "adam" -> Optimizers.adam(lr, a.get("betas").get(0).asDouble(), a.get("betas").get(1).asDouble(), a.get("eps").asDouble());
            case "adamw" -> Optimizers.adamw(lr, a.get("betas").get(0).asDouble(), a.get("betas").get(1).asDouble(), a.get("eps").asDouble(),
                    a.get("weight_decay").asDouble());
            case "rmsprop" -> Optimizers.rmsprop(lr, a.get("alpha").asDouble(), a.get("eps").asDouble());
            case "adagrad" -> Optimizers.adagrad(lr, a.get("eps").asDouble());
            case "adadelta" -> Optimizers.adadelta(lr, a.get("rho").asDouble(), a.get("eps").asDouble());
            default -> throw new IllegalArgumentException("conformance: unknown optimizer kind " + a.get("kind"));
        };
        if (a.has("weight_decay") && !a.get("kind").asText().equals("adamw")) opt.weightDecay(a.get("weight_decay").asDouble());
        return opt;
    }

    static Tensor tensor(Backend b, DType dtype, JsonNode t) {
        JsonNode s = t.get("shape");
        int[] dims = new int[s.size()];
        for (int i = 0; i < dims.length; i++) dims[i] = s.get(i).asInt();
        return b.memory().fromArray(doubles(t), Shape.of(dims), dtype);
    }

    static double[] doubles(JsonNode t) {
        JsonNode d = t.get("data");
        double[] out = new double[d.size()];
        for (int i = 0; i < out.length; i++) out[i] = d.get(i).asDouble();
        return out;
    }
}
