package io.github.knetj.autograd;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.check.GradCheck;
import io.github.knetj.tck.BackendUnderTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.github.knetj.autograd.Ops.concat;
import static io.github.knetj.autograd.Ops.mul;
import static io.github.knetj.autograd.Ops.reshape;
import static io.github.knetj.autograd.Ops.slice;
import static io.github.knetj.autograd.Ops.square;
import static io.github.knetj.autograd.Ops.sum;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gradient properties of every recurrent cell (full, ragged, reversed, second order) and the ragged semantics. */
class RNNOpsTest {
    private static final int B = 3, T = 4, I = 2, H = 3;

    static Stream<Arguments> backendsAndCells() {
        return Stream.of("reference", "primitives", "cpu", "opencl", "cuda").flatMap(b -> Stream.of(RNNOps.Cell.values()).map(c -> Arguments.of(b, c)));
    }

    /** Random inputs x, h0, c0, W_ih, W_hh, b_ih, b_hh for a cell, drawn on the host so every backend sees the same. */
    private static List<Tensor> inputs(Backend backend, RNNOps.Cell cell, long seed) {
        int g = cell.gates() * H;
        List<Tensor> ts = new ArrayList<>();
        int[][] shapes = {{B, T, I}, {B, H}, {B, H}, {g, I}, {g, H}, {g}, {g}};
        for (int i = 0; i < shapes.length; i++) ts.add(backend.random().normal(Shape.of(shapes[i]), DType.FLOAT64, 0, i < 3 ? 1 : 0.5, seed + i));
        return ts;
    }

    private static final List<String> NAMES = List.of("x", "h0", "c0", "weight_ih", "weight_hh", "bias_ih", "bias_hh");

    /** y, h and (LSTM) c flattened into one vector, so that one check covers every output. */
    private static Value everything(RNNOps.Cell cell, List<Value> v, int[] lengths, boolean reverse) {
        RNNOps.Result r = RNNOps.run(cell, v.get(0), v.get(1), v.get(2), v.get(3), v.get(4), v.get(5), v.get(6), lengths, reverse);
        Value all = concat(0, reshape(r.y(), -1), reshape(r.h(), -1));
        return r.c() == null ? all : concat(0, all, reshape(r.c(), -1));
    }

    private static void check(String what, Backend backend, RNNOps.Cell cell, int[] lengths, boolean reverse) {
        GradCheck.Report report = GradCheck.options().backend(backend).check(v -> everything(cell, v, lengths, reverse), NAMES, inputs(backend, cell, 7));
        assertTrue(report.passed(), cell + " " + what + " on " + backend.name() + ":\n" + report);
    }

    @ParameterizedTest(name = "{1} on {0}") @MethodSource("backendsAndCells")
    void gradientsFullRaggedAndReversed(String backendName, RNNOps.Cell cell) {
        Backend backend = BackendUnderTest.get(backendName);
        check("full batch", backend, cell, null, false);
        check("ragged batch", backend, cell, new int[]{2, 4, 1}, false);
        check("ragged batch, reversed", backend, cell, new int[]{2, 4, 1}, true);
    }

    @ParameterizedTest(name = "{1} on {0}") @MethodSource("backendsAndCells")
    void secondOrderGradients(String backendName, RNNOps.Cell cell) {
        Backend backend = BackendUnderTest.get(backendName);
        // The gradient of Σ y² with respect to W_hh is itself differentiated, through the split and mask ops.
        GradCheck.Report report = GradCheck.options().backend(backend).check(v -> {
            Value wHh = v.get(4);
            return AutoGrad.grad(w -> sum(square(RNNOps.run(cell, v.get(0), v.get(1), v.get(2), v.get(3), w, v.get(5), v.get(6),
                    new int[]{3, 1, 4}, false).y()))).apply(wHh);
        }, NAMES, inputs(backend, cell, 11));
        assertTrue(report.passed(), cell + " second order on " + backend.name() + ":\n" + report);
    }

    /** A sequence's final state in a ragged batch is the final state of that sequence run alone, in both directions. */
    /** Token ids for B·T = 12 steps of a vocabulary of {@link #V}: twice as many tokens as rows, where the table pays. */
    private static final int V = 3;
    private static final int[] IDS = {0, 2, 1, 1, 2, 0, 0, 0, 2, 1, 2, 2};

    /** {@link #everything} of runTokens over {table, h0, c0, W_ih, W_hh, b_ih, b_hh}. */
    private static Value everythingFromTokens(RNNOps.Cell cell, List<Value> v, int[] lengths, boolean reverse) {
        RNNOps.Result r = RNNOps.runTokens(cell, v.get(0), IDS, B, T, v.get(1), v.get(2), v.get(3), v.get(4), v.get(5), v.get(6), lengths, reverse);
        Value all = concat(0, reshape(r.y(), -1), reshape(r.h(), -1));
        return r.c() == null ? all : concat(0, all, reshape(r.c(), -1));
    }

    /** The cell's inputs with a (V, I) table in x's place. */
    private static List<Tensor> tokenInputs(Backend backend, RNNOps.Cell cell, long seed) {
        List<Tensor> ts = new ArrayList<>(inputs(backend, cell, seed));
        ts.set(0, backend.random().normal(Shape.of(V, I), DType.FLOAT64, 0, 1, seed + 100));
        return ts;
    }

    /**
     * runTokens projects the table's rows instead of every step's input: the same outputs and gradients as run over
     * the embedded tokens (float64, to rounding), full, ragged and reversed; and its own gradients, first and second
     * order, against finite differences.
     */
    @ParameterizedTest(name = "{1} on {0}") @MethodSource("backendsAndCells")
    void tokensThroughTheProjectedTable(String backendName, RNNOps.Cell cell) {
        Backend backend = BackendUnderTest.get(backendName);
        List<Tensor> ts = tokenInputs(backend, cell, 13);
        for (int[] lengths : new int[][]{null, {2, 4, 1}})
            for (boolean reverse : new boolean[]{false, true}) {
                String what = cell + " on " + backendName + (lengths == null ? "" : " ragged") + (reverse ? " reversed" : "");
                List<Param> a = ts.stream().map(Param::new).toList(), b = ts.stream().map(Param::new).toList();
                Value wa = new Value(backend.random().normal(Shape.of(everythingFromTokens(cell, new ArrayList<>(a), lengths, reverse).shape().dims()), DType.FLOAT64, 0, 1, 3));
                AutoGrad.Tape ta = AutoGrad.diff(() -> sum(mul(everythingFromTokens(cell, new ArrayList<>(a), lengths, reverse), wa)));
                AutoGrad.Tape tb = AutoGrad.diff(() -> {
                    List<Value> v = new ArrayList<>(b);
                    v.set(0, NNOps.embed(b.get(0), IDS, B, T));
                    return sum(mul(everything(cell, v, lengths, reverse), wa));
                });
                assertEquals(tb.value(), ta.value(), 1e-12, what + ": value");
                for (int i = 0; i < a.size(); i++) {
                    if (cell != RNNOps.Cell.LSTM && i == 2) continue;   // c0: LSTM only
                    assertArrayEquals(tb.grad(b.get(i)).data().toDoubleArray(), ta.grad(a.get(i)).data().toDoubleArray(), 1e-12,
                            what + ": gradient of " + (i == 0 ? "the table" : NAMES.get(i)));
                }
            }
        List<String> names = new ArrayList<>(NAMES);
        names.set(0, "table");
        GradCheck.Report report = GradCheck.options().backend(backend).check(v -> everythingFromTokens(cell, v, new int[]{2, 4, 1}, true), names, tokenInputs(backend, cell, 17));
        assertTrue(report.passed(), cell + " from tokens on " + backendName + ":\n" + report);
        report = GradCheck.options().backend(backend).check(v -> AutoGrad.grad(w -> sum(square(RNNOps.runTokens(cell, v.get(0), IDS, B, T, v.get(1), v.get(2),
                w, v.get(4), v.get(5), v.get(6), new int[]{3, 1, 4}, false).y()))).apply(v.get(3)), names, tokenInputs(backend, cell, 19));
        assertTrue(report.passed(), cell + " from tokens, second order through W_ih, on " + backendName + ":\n" + report);
    }

    @Test
    void paddingNeverLeaksIntoFinalStates() {
        Backend backend = BackendUnderTest.get("reference");
        for (RNNOps.Cell cell : RNNOps.Cell.values())
            for (boolean reverse : new boolean[]{false, true}) {
                List<Value> v = inputs(backend, cell, 3).stream().map(Value::new).toList();
                int[] lengths = {2, 4, 1};
                RNNOps.Result batch = RNNOps.run(cell, v.get(0), v.get(1), v.get(2), v.get(3), v.get(4), v.get(5), v.get(6), lengths, reverse);
                for (int b = 0; b < B; b++) {
                    Value x = slice(slice(v.get(0), 0, b, b + 1), 1, 0, lengths[b]);
                    Value c0 = cell == RNNOps.Cell.LSTM ? slice(v.get(2), 0, b, b + 1) : null;
                    RNNOps.Result alone = RNNOps.run(cell, x, slice(v.get(1), 0, b, b + 1), c0, v.get(3), v.get(4), v.get(5), v.get(6), null, reverse);
                    String what = cell + (reverse ? " reversed" : "") + ", sequence " + b;
                    assertArrayEquals(alone.h().data().toDoubleArray(), slice(batch.h(), 0, b, b + 1).data().toDoubleArray(), 1e-12, what + ": h");
                    if (c0 != null) assertArrayEquals(alone.c().data().toDoubleArray(), slice(batch.c(), 0, b, b + 1).data().toDoubleArray(), 1e-12, what + ": c");
                    double[] y = slice(batch.y(), 0, b, b + 1).data().toDoubleArray();
                    assertArrayEquals(alone.y().data().toDoubleArray(), java.util.Arrays.copyOf(y, lengths[b] * H), 1e-12, what + ": y");
                    for (int i = lengths[b] * H; i < y.length; i++) assertEquals(0.0, y[i], 0.0, what + ": y past the end must be zero");
                }
            }
    }

    @Test
    void splitHasTheGradientOfSlices() {
        Backend backend = BackendUnderTest.get("reference");
        Tensor t = backend.random().normal(Shape.of(2, 6), DType.FLOAT64, 0, 1, 5);
        Param x = new Param(t);
        Value w = new Value(backend.random().normal(Shape.of(2, 2), DType.FLOAT64, 0, 1, 6));
        Value viaSplit = AutoGrad.diff(() -> {
            Value[] p = Ops.split(x, 1, 3);
            return sum(mul(mul(p[0], p[2]), w));     // p[1] unused: its gradient is zero
        }).grad(x);
        Value viaSlices = AutoGrad.diff(() -> sum(mul(mul(slice(x, 1, 0, 2), slice(x, 1, 4, 6)), w))).grad(x);
        assertArrayEquals(viaSlices.data().toDoubleArray(), viaSplit.data().toDoubleArray(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Ops.split(x, 1, 4));
    }

    @Test
    void errorsNameTheOpAndShapes() {
        Backend backend = BackendUnderTest.get("reference");
        List<Value> v = inputs(backend, RNNOps.Cell.GRU, 1).stream().map(Value::new).toList();
        var e = assertThrows(IllegalArgumentException.class,
                () -> RNNOps.lstm(v.get(0), v.get(1), v.get(2), v.get(3), v.get(4), v.get(5), v.get(6), null));
        assertTrue(e.getMessage().startsWith("lstm: weight_ih must be (4·H, 2)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RNNOps.gru(v.get(0), v.get(1), v.get(3), v.get(4), v.get(5), v.get(6), new int[]{1, 5, 2}));
        assertTrue(e.getMessage().contains("lengths [1, 5, 2] must lie in [0, 4]"), e.getMessage());
        Value empty = new Value(backend.memory().zeros(Shape.of(3, 0, 2), DType.FLOAT64));
        e = assertThrows(IllegalArgumentException.class, () -> RNNOps.rnnTanh(empty, null, v.get(3), v.get(4), null, null, null));
        assertTrue(e.getMessage().startsWith("rnn_tanh: x [3, 0, 2] must hold at least one sequence of at least one step"), e.getMessage());
        Value table = new Value(backend.random().normal(Shape.of(V, I), DType.FLOAT64, 0, 1, 2));
        e = assertThrows(IllegalArgumentException.class, () -> RNNOps.runTokens(RNNOps.Cell.GRU, table, new int[]{0, 1, 2}, B, T, null, null,
                v.get(3), v.get(4), v.get(5), v.get(6), null, false));
        assertTrue(e.getMessage().equals("gru: 3 token ids for 3 sequences of 4 steps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RNNOps.runTokens(RNNOps.Cell.LSTM, table, IDS, B, T, null, null,
                v.get(3), v.get(4), v.get(5), v.get(6), null, false));
        assertTrue(e.getMessage().startsWith("lstm: weight_ih must be (4·H, 2) for x [3, 4, 2]"), e.getMessage());
        int[] bad = IDS.clone();
        bad[5] = V;
        var oob = assertThrows(IndexOutOfBoundsException.class, () -> RNNOps.runTokens(RNNOps.Cell.GRU, table, bad, B, T, null, null,
                v.get(3), v.get(4), v.get(5), v.get(6), null, false));
        assertTrue(oob.getMessage().equals("gru (token ids of a table [3, 2]): index 3 is outside [0, 3)"), oob.getMessage());
        assertTrue(RNNOps.projectsTable(256, 6400) && RNNOps.projectsTable(3, 6) && !RNNOps.projectsTable(4, 7));
    }
}
