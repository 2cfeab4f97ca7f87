package io.github.knetj.docs;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.autograd.check.GradCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import io.github.knetj.autograd.AutoGrad.*;
import static io.github.knetj.autograd.AutoGrad.*;
import static io.github.knetj.autograd.Ops.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chapter 10, writing a backend: the tutorial backend used by autograd, as docs/10-writing-a-backend.md shows. */
class Chapter10Test {
    @AfterEach
    void restore() {
        Defaults.backend(Backends.get());
        Defaults.dtype(DType.FLOAT32);
    }

    @Test
    void autogradRunsOnTheNewBackend() {
        // tag::use[]
        Backend tiny = new TinyBackendProvider().create();
        Defaults.backend(tiny);                         // new values are made on it from now on
        Defaults.dtype(DType.FLOAT64);
        Param w = param(new double[]{0.5, -1, 2}, 3);
        Tape t = diff(() -> sum(tanh(mul(w, w))));
        System.out.println(t.grad(w));                  // mul → Tensor[3] float64 on tiny: [...]
        GradCheck.Report r = GradCheck.check(() -> sum(tanh(mul(w, w))), List.of(w));
        System.out.print(r);
        // end::use[]
        assertSame(tiny, t.grad(w).backend());
        assertTrue(r.passed(), r::toString);
        double[] g = t.grad(w).data().toDoubleArray(), wv = {0.5, -1, 2};
        for (int i = 0; i < 3; i++) assertEquals((1 - Math.pow(Math.tanh(wv[i] * wv[i]), 2)) * 2 * wv[i], g[i], 1e-12);
    }

    @Test
    void theProviderAnswersWithoutStartingAnything() {
        TinyBackendProvider p = new TinyBackendProvider();
        assertEquals("tiny", p.name());
        assertTrue(p.availability().available());
        assertTrue(p.priority() < Backends.providers().stream().filter(q -> q.name().equals("reference")).findFirst().orElseThrow().priority(),
                "auto must never prefer the tutorial backend");
    }
}
