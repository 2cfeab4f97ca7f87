package io.github.knetj.docs;

import io.github.knetj.api.DType;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.autograd.check.GradCheck;
import io.github.knetj.layers.Chain;
import io.github.knetj.layers.Dense;
import io.github.knetj.layers.Init;
import io.github.knetj.layers.Layer;
import io.github.knetj.layers.Params;
import io.github.knetj.optim.Optimizer;
import io.github.knetj.optim.Optimizers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import io.github.knetj.autograd.AutoGrad.*;
import static io.github.knetj.autograd.AutoGrad.*;
import static io.github.knetj.autograd.NNOps.*;
import static io.github.knetj.autograd.Ops.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chapter 9, writing a layer: the samples of docs/09-writing-a-layer.md, run and checked. */
class Chapter09Test {
    @AfterEach
    void restore() { Defaults.dtype(DType.FLOAT32); }

    // tag::layer[]
    /** y = tanh(x·Wᵀ + b): a layer of our own, a record of parameters and a call (Knet's {@code struct Dense; w; b; end}). */
    record TanhDense(Param w, Param b) implements Layer {
        TanhDense(int in, int out) { this(Init.param(out, in), Init.param0(out)); }

        @Override public Value apply(Value x) { return tanh(linear(x, w, b)); }

        @Override public String toString() { return "TanhDense(" + w.shape().dim(1) + " => " + w.shape().dim(0) + ")"; }
    }
    // end::layer[]

    @Test
    void aLayerOfOurOwn() {
        // tag::use[]
        Defaults.dtype(DType.FLOAT64);
        Init.seed(1);                                          // the same parameters on every run and backend
        Chain model = new Chain(new TanhDense(2, 8), new Dense(8, 1, null));
        System.out.println(model);                             // Chain(\n  TanhDense(2 => 8),\n  Dense(8 => 1),\n)
        System.out.println(Params.named(model).keySet());      // [layers.0.w, layers.0.b, layers.1.w, layers.1.b]
        // end::use[]
        assertEquals(List.of("layers.0.w", "layers.0.b", "layers.1.w", "layers.1.b"), List.copyOf(Params.named(model).keySet()));
        assertTrue(model.toString().contains("TanhDense(2 => 8)"), model.toString());

        // tag::check[]
        Value x = array(new double[]{0, 0, 0, 1, 1, 0, 1, 1}, 4, 2);   // XOR: four points
        Value y = array(new double[]{0, 1, 1, 0}, 4, 1);
        GradCheck.Report r = GradCheck.check(() -> mse(model.apply(x), y), model.params());
        System.out.print(r);                                   // the new layer's rule-free gradients are right
        // end::check[]
        assertTrue(r.passed(), r::toString);

        // tag::train[]
        Optimizer opt = Optimizers.adam(0.05);
        for (int step = 0; step < 300; step++) opt.step(diff(() -> mse(model.apply(x), y)));
        System.out.println(model.apply(x));                    // close to [[0], [1], [1], [0]]
        // end::train[]
        double[] out = model.apply(x).data().toDoubleArray();
        double[] want = {0, 1, 1, 0};
        for (int i = 0; i < 4; i++) assertEquals(want[i], out[i], 0.1, "XOR output " + i);
    }
}
