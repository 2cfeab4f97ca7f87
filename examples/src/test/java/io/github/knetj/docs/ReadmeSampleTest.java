package io.github.knetj.docs;

// tag::readme[]
import io.github.knetj.autograd.AutoGrad.*;
import static io.github.knetj.autograd.AutoGrad.*;
import static io.github.knetj.autograd.Ops.*;

// end::readme[]
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The gradient sample of the top-level README, run as written. */
class ReadmeSampleTest {
    @Test
    void aGradientInTenLines() {
        // tag::readme[]
        Param w = param(new double[]{1, 2, 3}, 3);
        Value x = array(new double[]{4, 5, 6}, 3);
        Tape t = diff(() -> sum(square(mul(w, x))));   // Σ (w·x)²
        System.out.println(t.value());                 // 440.0
        System.out.println(t.grad(w));                 // 2·w·x² = [32, 100, 216]
        // end::readme[]
        assertEquals(440.0, t.value(), 1e-9);
        assertArrayEquals(new double[]{32, 100, 216}, t.grad(w).data().toDoubleArray(), 1e-9);
    }
}
