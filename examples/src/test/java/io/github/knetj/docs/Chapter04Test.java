package io.github.knetj.docs;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.Defaults;
import org.junit.jupiter.api.Test;

import io.github.knetj.autograd.AutoGrad.*;
import static io.github.knetj.autograd.AutoGrad.*;
import static io.github.knetj.autograd.NNOps.*;
import static io.github.knetj.autograd.Ops.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chapter 4, linear regression: the samples of docs/04-linear-regression.md, run and checked. */
class Chapter04Test {
    @Test
    void fittingALine() {
        // tag::data[]
        Backend backend = Defaults.backend();
        int n = 100;
        Tensor xs = backend.random().uniform(Shape.of(n, 1), Defaults.dtype(), -1, 1, 42);       // seeded: the same on every backend
        Tensor noise = backend.random().normal(Shape.of(n, 1), Defaults.dtype(), 0, 0.1, 43);
        Value x = value(xs);
        Value y = add(affine(x, 3, 2), value(noise));                                            // y = 3x + 2 + noise
        // end::data[]

        // tag::model[]
        Param w = param(new double[]{0}, 1, 1);   // (out, in): one input, one output
        Param b = param(new double[]{0}, 1);
        // end::model[]

        // tag::loop[]
        double lr = 0.5;
        double first = 0, last = 0;
        for (int step = 0; step < 100; step++) {
            Tape t = diff(() -> mse(linear(x, w, b), y));      // mean((x·wᵀ + b − y)²)
            w.set(sub(w, scale(t.grad(w), lr)).data());        // w ← w − lr·∂loss/∂w
            b.set(sub(b, scale(t.grad(b), lr)).data());
            if (step == 0) first = t.value();
            last = t.value();
            if (step % 20 == 0) System.out.println("step " + step + ": loss " + t.value());
        }
        System.out.println(w + "\n" + b);                      // close to 3 and 2
        // end::loop[]
        assertEquals(3, w.item(), 0.1);
        assertEquals(2, b.item(), 0.1);
        assertTrue(last < 0.02 && last < first / 100, "loss " + first + " -> " + last);
    }
}
