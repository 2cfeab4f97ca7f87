package io.github.knetj.autograd.check;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.AutoGrad;
import io.github.knetj.autograd.check.GradCheck.Entry;
import io.github.knetj.autograd.check.GradCheck.Report;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.github.knetj.autograd.Ops.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GradCheck as a public API: it passes right gradients, catches wrong ones in both methods, and reports clearly. */
class GradCheckTest {
    private static final Backend B = Backends.get("reference");

    private static Tensor random(long seed, int... dims) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[Shape.of(dims).sizeInt()];
        for (int i = 0; i < v.length; i++) v[i] = r.nextDouble(-2, 2);
        return B.memory().fromArray(v, Shape.of(dims), DType.FLOAT32);
    }

    /** x², but whose rule forgets the factor 2: the kind of bug GradCheck exists to catch. */
    private static Value badSquare(Value x) {
        Tensor out = x.backend().fused().binary(io.github.knetj.api.BinaryOp.MUL, x.data(), x.data());
        return AutoGrad.record("bad_square", out, (g, y) -> new Value[]{mul(g, x)}, x);
    }

    @Test
    void rightGradientsPassWithAFullJacobianInFloat64() {
        Report r = GradCheck.check(xs -> sum(mul(tanh(xs.get(0)), exp(xs.get(1)))), List.of(random(1, 2, 3), random(2, 3)));
        assertTrue(r.passed(), r::toString);
        assertEquals(List.of("x0", "x1"), r.entries().stream().map(Entry::name).toList());
        for (Entry e : r.entries()) {
            assertEquals("jacobian", e.method());
            assertEquals(DType.FLOAT64, e.dtype());   // float32 inputs are checked in float64
            assertTrue(e.maxAbsError() < 1e-8, r::toString);
        }
        assertEquals("[2, 3]", r.entries().get(0).shape());
        assertEquals(1e-6, r.eps(), 0);
    }

    @Test
    void aWrongRuleFailsInBothMethods() {
        List<Tensor> in = List.of(random(3, 4, 5));
        Report jacobian = GradCheck.check(xs -> sum(badSquare(xs.get(0))), in);
        Report projection = GradCheck.options().maxJacobian(0).check(xs -> sum(badSquare(xs.get(0))), in);
        for (Report r : List.of(jacobian, projection)) {
            assertFalse(r.passed(), r::toString);
            assertEquals(1, r.failures().size());
            assertTrue(r.entries().get(0).maxRelError() > 0.1, r::toString);
            assertTrue(r.toString().contains("FAIL"), r::toString);
        }
        assertEquals("projection", projection.entries().get(0).method());
    }

    @Test
    void largeInputsAndNonScalarResultsUseRandomProjections() {
        Report r = GradCheck.options().maxJacobian(10).directions(4)
                .check(xs -> matmul(tanh(xs.get(0)), xs.get(1)), List.of("a", "b"), List.of(random(4, 4, 5), random(5, 5, 2)));
        assertTrue(r.passed(), r::toString);
        assertEquals(List.of("projection", "jacobian"), r.entries().stream().map(Entry::method).toList());
    }

    @Test
    void float32ChecksUseALargerStepAndLooserTolerances() {
        GradCheck.Options o = GradCheck.options().dtype(DType.FLOAT32);
        Report r = o.check(xs -> sum(sigm(xs.get(0))), List.of(random(5, 3, 3)));
        assertTrue(r.passed(), r::toString);
        assertEquals(DType.FLOAT32, r.entries().get(0).dtype());
        assertEquals(1e-2, r.eps(), 0);
        assertTrue(o.atolFor(DType.FLOAT32) > o.atolFor(DType.FLOAT64) && o.rtolFor(DType.FLOAT32) > o.rtolFor(DType.FLOAT64));
    }

    @Test
    void theParameterFormChecksEveryParameterAndRestoresThem() {
        Param w = new Param(random(6, 3, 4).to(DType.FLOAT64));
        Param b = new Param(random(7, 3).to(DType.FLOAT64));
        Value x = new Value(random(8, 2, 4).to(DType.FLOAT64));
        Tensor w0 = w.data(), b0 = b.data();
        Map<String, Param> named = new LinkedHashMap<>();
        named.put("w", w);
        named.put("b", b);
        Report r = GradCheck.options().check(() -> sum(square(tanh(linear(x, w, b)))), named);
        assertTrue(r.passed(), r::toString);
        assertEquals(List.of("w", "b"), r.entries().stream().map(Entry::name).toList());
        assertSame(w0, w.data());
        assertSame(b0, b.data());
        assertTrue(GradCheck.check(() -> sum(linear(x, w, b)), List.of(w, b)).passed());
    }

    @Test
    void theReportIsATableWithOneRowPerInput() {
        String table = GradCheck.options().check(xs -> sum(xs.get(0)), List.of("weights"), List.of(random(9, 2))).toString();
        String[] lines = table.split("\n");
        assertEquals(2, lines.length, table);
        assertTrue(lines[0].contains("max abs err") && lines[0].contains("max rel err") && lines[0].contains("method"), table);
        assertTrue(lines[1].startsWith("weights") && lines[1].contains("[2]") && lines[1].endsWith("ok"), table);
    }

    @Test
    void badOptionsAreRejectedClearly() {
        assertThrows(IllegalArgumentException.class, () -> GradCheck.options().eps(-1));
        assertThrows(IllegalArgumentException.class, () -> GradCheck.options().directions(0));
        assertThrows(IllegalArgumentException.class, () -> GradCheck.options().check(xs -> sum(xs.get(0)), List.of("a", "b"), List.of(random(1, 2))));
    }

    @Test
    void theRunnerChecksEveryCatalogOpInBothDtypesAndPrintsATable() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        GradCheckRunner.Result all = GradCheckRunner.run("all", B, DType.FLOAT64, 42, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(OpCatalog.names().size(), all.checked());
        assertEquals(0, all.failed(), out);
        assertTrue(out.contains("conv4") && out.contains("attention_causal") && out.contains("checked " + all.checked() + " ops, 0 failed"), out);

        ByteArrayOutputStream bytes32 = new ByteArrayOutputStream();
        GradCheckRunner.Result all32 = GradCheckRunner.run("all", B, DType.FLOAT32, 42, new PrintStream(bytes32, true, StandardCharsets.UTF_8));
        assertEquals(0, all32.failed(), bytes32.toString(StandardCharsets.UTF_8));

        GradCheckRunner.Result one = GradCheckRunner.run("tanh", B, DType.FLOAT32, 42, 1e-3, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(1, one.checked());
        assertTrue(one.passed());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GradCheckRunner.run("nosuchop", B, DType.FLOAT64, 1, System.out));
        assertTrue(e.getMessage().contains("nosuchop") && e.getMessage().contains("conv4"), e.getMessage());
    }
}
