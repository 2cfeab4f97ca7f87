package io.github.knetj.docs;

import io.github.knetj.api.DType;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad;
import io.github.knetj.autograd.Defaults;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

import io.github.knetj.autograd.AutoGrad.*;
import static io.github.knetj.autograd.AutoGrad.*;
import static io.github.knetj.autograd.Ops.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Chapter 2, autodiff: the samples of docs/02-autodiff.md, and the recorded-graph picture kept in sync. */
class Chapter02Test {
    static final Path PICTURE = Path.of("docs/images/autograd-graph.svg");

    @BeforeEach
    void float64() { Defaults.dtype(DType.FLOAT64); }

    @AfterEach
    void restore() { Defaults.dtype(DType.FLOAT32); }

    @Test
    void aFirstDerivative() {
        // tag::first[]
        Param x = param(new double[]{0.5}, 1);
        Tape t = diff(() -> sum(tanh(x)));   // record tanh(x), then run it backwards
        System.out.println(t.value());       // tanh(0.5) = 0.46211715726000974
        System.out.println(t.grad(x));       // 1 − tanh²(0.5) = 0.7864
        // end::first[]
        assertEquals(Math.tanh(0.5), t.value(), 1e-15);
        assertEquals(1 - Math.tanh(0.5) * Math.tanh(0.5), t.grad(x).item(), 1e-15);
    }

    @Test
    void theRecordedGraphAndItsPicture() throws IOException {
        // tag::graph[]
        Param w = param(new double[]{0.5, -1, 2}, 3);
        Param b = param(new double[]{0.1}, 1);
        Value x = array(new double[]{1, 2, 3}, 3);          // a constant: no gradient flows into it
        Tape t = diff(() -> sum(tanh(add(mul(w, x), b))));
        Value y = t.result();                               // the root of the recorded graph
        System.out.println(y.op() + " " + t.grad(w) + " " + t.grad(b) + " " + t.grad(x));
        // end::graph[]
        assertEquals("sum", y.op());
        assertNull(t.grad(x));
        double[] gw = new double[3];
        double gb = 0;
        double[] wv = {0.5, -1, 2}, xv = {1, 2, 3};
        for (int i = 0; i < 3; i++) {
            double d = 1 - Math.pow(Math.tanh(wv[i] * xv[i] + 0.1), 2);
            gw[i] = d * xv[i];
            gb += d;
        }
        assertArrayEquals(gw, t.grad(w).data().toDoubleArray(), 1e-12);
        assertEquals(gb, t.grad(b).item(), 1e-12);
        // The committed picture must be what this graph draws; -Dknetj.docs.write=true redraws it.
        String svg = GraphPicture.svg(y, Map.of(w, "w", b, "b", x, "x"), Map.of(
                "mul", "back: g·x to w", "add", "back: g; summed for b", "tanh", "back: g·(1 − y²)", "sum", "back: g everywhere"));
        Path file = DocsIncludeTest.root().resolve(PICTURE);
        if (Boolean.getBoolean("knetj.docs.write")) Files.writeString(file, svg, StandardCharsets.UTF_8);
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), svg,
                file + " is stale: rerun this test with -Dknetj.docs.write=true and commit the picture");
    }

    @Test
    void aValueUsedTwiceGetsTheSumOfItsGradients() {
        // tag::twice[]
        Param x = param(new double[]{3}, 1);
        Tape t = diff(() -> sum(mul(x, x)));   // x·x: two paths from x to the result
        System.out.println(t.grad(x));          // 6 = 3 + 3, one gradient per path, added
        // end::twice[]
        assertEquals(6, t.grad(x).item(), 0);
    }

    @Test
    void anOpWithSeveralOutputsIsOneNode() {
        // tag::split[]
        Param x = param(new double[]{1, 2, 3, 4, 5, 6}, 6);
        Value[][] pieces = new Value[1][];
        Tape t = diff(() -> {
            Value[] p = split(x, 0, 3);          // one op, three outputs: [1 2], [3 4], [5 6]
            pieces[0] = p;
            return sum(mul(p[0], p[2]));          // p[1] is not used: no gradient reaches it
        });
        System.out.println(t.grad(x));            // [5 6 0 0 1 2]: p[2], zeros for p[1], p[0]
        // end::split[]
        assertArrayEquals(new double[]{5, 6, 0, 0, 1, 2}, t.grad(x).data().toDoubleArray(), 0);
        Value[] p = pieces[0];
        assertEquals("split", p[0].op());
        for (Value piece : p) {
            assertEquals(1, piece.inputs().size(), "every piece was made by the same node, whose one input is x");
            assertSame(x, piece.inputs().get(0));
        }
    }

    @Test
    void gradientsOfGradients() {
        // tag::higher[]
        Function<Value, Value> f = v -> sum(tanh(v));
        Function<Value, Value> df = grad(f);                   // x ↦ 1 − tanh²(x)
        Function<Value, Value> d2f = grad(v -> sum(df.apply(v)));   // x ↦ −2·tanh(x)·(1 − tanh²(x))
        Value x = array(new double[]{0.5}, 1);
        System.out.println(df.apply(x) + "\n" + d2f.apply(x));
        // end::higher[]
        double th = Math.tanh(0.5);
        assertEquals(1 - th * th, df.apply(x).item(), 1e-15);
        assertEquals(-2 * th * (1 - th * th), d2f.apply(x).item(), 1e-15);
    }

    // tag::rule[]
    /** x³, a new differentiable op: a kernel for the forward pass and one rule, written with differentiable ops. */
    static Value cube(Value x) {
        Tensor out = x.backend().fused().binary(io.github.knetj.api.BinaryOp.POW, x.data(),
                x.backend().memory().scalar(3, x.dtype()));
        return AutoGrad.record("cube", out, (g, y) -> new Value[]{mul(g, scale(square(x), 3))}, x);
    }
    // end::rule[]

    @Test
    void aNewOpIsAKernelAndARule() {
        // tag::use-rule[]
        Param x = param(new double[]{2}, 1);
        Tape t = diff(() -> sum(cube(x)));
        System.out.println(t.value() + " " + t.grad(x));   // 8 and 3·2² = 12
        // end::use-rule[]
        assertEquals(8, t.value(), 1e-12);
        assertEquals(12, t.grad(x).item(), 1e-12);
        assertEquals(12, grad(v -> sum(grad(u -> sum(cube(u))).apply(v))).apply(x).item(), 1e-12, "cube'' = 6x, so 12 at 2");
    }
}
