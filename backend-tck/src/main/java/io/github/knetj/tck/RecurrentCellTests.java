package io.github.knetj.tck;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.tck.property.Domain;
import io.github.knetj.tck.property.Gens;
import io.github.knetj.tck.property.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The suite's recurrent-cell part: the LSTM and GRU cells of {@link io.github.knetj.api.NN}, their backward passes and
 * the recurrent product, compared with the reference backend's (the composed defaults) on batches of 1–5 rows and widths of 1–40, which
 * cover SIMD tails and several vectors per row; pre-activations reach ±5, where σ and tanh saturate.
 */
abstract class RecurrentCellTests extends ConvolutionTests {
    RecurrentCellTests(String name, Supplier<Backend> supplier) { super(name, supplier); }

    @ParameterizedTest
    @EnumSource(DType.class)
    void lstmCellAndBackward(DType dtype) {
        Property.forAll("lstmCell " + dtype, Gens.seeded(Gens.intVector(new int[] {1, 1}, new int[] {5, 40})), p -> {
            SplittableRandom r = p.random();
            int b = p.value()[0], h = p.value()[1];
            Tensor[] gates = both(r, Shape.of(b, 4 * h), dtype, Domain.WIDE), c = both(r, Shape.of(b, h), dtype, Domain.ANY);
            Tensor[] want = ref.fused().lstmCell(gates[0], c[0]), got = backend.fused().lstmCell(gates[1], c[1]);
            String[] names = {"h'", "c'", "act"};
            for (int k = 0; k < 3; k++) same(label("lstmCell " + names[k], dtype, gates[0].shape(), c[0].shape()), want[k], got[k]);
            Tensor[] act = both(want[2].toDoubleArray(), want[2].shape(), dtype);
            Tensor[] dh = both(r, c[0].shape(), dtype, Domain.ANY), dc = both(r, c[0].shape(), dtype, Domain.ANY);
            // Each output alone may carry the gradient (the other is null), as at a sequence's last step.
            int which = r.nextInt(3);
            Tensor rdh = which == 1 ? null : dh[0], bdh = which == 1 ? null : dh[1];
            Tensor rdc = which == 2 ? null : dc[0], bdc = which == 2 ? null : dc[1];
            Tensor[] wantD = ref.fused().lstmCellBackward(rdh, rdc, act[0], c[0]), gotD = backend.fused().lstmCellBackward(bdh, bdc, act[1], c[1]);
            String what = which == 0 ? "dh and dc" : which == 1 ? "dc only" : "dh only";
            sameGrad(label("lstmCellBackward dgates", dtype, act[0].shape(), what), wantD[0], gotD[0]);
            sameGrad(label("lstmCellBackward dc", dtype, act[0].shape(), what), wantD[1], gotD[1]);
        });
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void gruCellAndBackward(DType dtype) {
        Property.forAll("gruCell " + dtype, Gens.seeded(Gens.intVector(new int[] {1, 1}, new int[] {5, 40})), p -> {
            SplittableRandom r = p.random();
            int b = p.value()[0], h = p.value()[1];
            Shape wide = Shape.of(b, 3 * h), state = Shape.of(b, h);
            Tensor[] xg = both(r, wide, dtype, Domain.WIDE), hg = both(r, wide, dtype, Domain.WIDE), hs = both(r, state, dtype, Domain.ANY);
            Tensor[] want = ref.fused().gruCell(xg[0], hg[0], hs[0]), got = backend.fused().gruCell(xg[1], hg[1], hs[1]);
            same(label("gruCell h'", dtype, wide, state), want[0], got[0]);
            same(label("gruCell act", dtype, wide, state), want[1], got[1]);
            Tensor[] act = both(want[1].toDoubleArray(), want[1].shape(), dtype), dh = both(r, state, dtype, Domain.ANY);
            Tensor[] wantD = ref.fused().gruCellBackward(dh[0], act[0], hg[0], hs[0]), gotD = backend.fused().gruCellBackward(dh[1], act[1], hg[1], hs[1]);
            String[] names = {"dxg", "dhg", "dh"};
            for (int k = 0; k < 3; k++) sameGrad(label("gruCellBackward " + names[k], dtype, wide, state), wantD[k], gotD[k]);
        });
    }

    /** Repeated products with one weight, both ways, as a recurrent layer's steps make them (a backend may cache w). */
    @ParameterizedTest
    @EnumSource(DType.class)
    void recurrentMatmul(DType dtype) {
        Property.forAll("recurrentMatmul " + dtype, Gens.seeded(Gens.intVector(new int[] {1, 1, 1}, new int[] {12, 40, 70})), p -> {
            SplittableRandom r = p.random();
            int m = p.value()[0], h = p.value()[1], gh = p.value()[2];
            Tensor[] w = both(r, Shape.of(gh, h), dtype, Domain.ANY);
            for (int step = 0; step < 2; step++) {
                Tensor[] x = both(r, Shape.of(m, h), dtype, Domain.ANY), g = both(r, Shape.of(m, gh), dtype, Domain.ANY);
                sameGrad(label("recurrentMatmul x·wᵀ", dtype, x[0].shape(), w[0].shape()), ref.linalg().matmul(x[0], w[0], false, true), backend.fused().recurrentMatmul(x[1], w[1], true));
                sameGrad(label("recurrentMatmul g·w", dtype, g[0].shape(), w[0].shape()), ref.linalg().matmul(g[0], w[0]), backend.fused().recurrentMatmul(g[1], w[1], false));
            }
        });
        // Large enough to be shared among threads, with inner dimensions of several 256-step blocks and ragged edges.
        SplittableRandom r = new SplittableRandom(7);
        Tensor[] w = both(r, Shape.of(1203, 301), dtype, Domain.ANY), x = both(r, Shape.of(67, 301), dtype, Domain.ANY), g = both(r, Shape.of(67, 1203), dtype, Domain.ANY);
        sameGrad(label("recurrentMatmul x·wᵀ", dtype, x[0].shape(), w[0].shape()), ref.linalg().matmul(x[0], w[0], false, true), backend.fused().recurrentMatmul(x[1], w[1], true));
        sameGrad(label("recurrentMatmul g·w", dtype, g[0].shape(), w[0].shape()), ref.linalg().matmul(g[0], w[0]), backend.fused().recurrentMatmul(g[1], w[1], false));
    }

    /** Mismatched widths are refused with the op and both shapes in the message. */
    @Test
    void cellShapeErrors() {
        Tensor gates = backend.memory().zeros(Shape.of(2, 12), DType.FLOAT32), c = backend.memory().zeros(Shape.of(2, 4), DType.FLOAT32);
        String m = assertThrows(IllegalArgumentException.class, () -> backend.fused().lstmCell(gates, c)).getMessage();
        assertTrue(m.contains("lstmCell") && m.contains("[2, 12]") && m.contains("[2, 4]"), m);
        m = assertThrows(IllegalArgumentException.class, () -> backend.fused().gruCell(c, c, c)).getMessage();
        assertTrue(m.contains("gruCell") && m.contains("[2, 4]"), m);
    }
}
