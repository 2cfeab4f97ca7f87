package io.github.knetj.optim;

import io.github.knetj.api.DType;
import io.github.knetj.autograd.AutoGrad;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Ops;
import org.junit.jupiter.api.Test;

import static io.github.knetj.layers.LayerTesting.on;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * AdamW with decay on the matrices only, the GPT's warm-up + cosine schedule and global norm clipping, against a
 * scalar re-statement of PyTorch's AdamW, {@code clip_grad_norm_} and the peer's {@code lr_at}, written out here.
 */
class ParamGroupsTest {
    private static final double LR = 0.1, B1 = 0.9, B2 = 0.99, WD = 0.1, EPS = 1e-8, CLIP = 1.0;
    private static final int STEPS = 6, WARMUP = 2;

    @Test
    void adamwOnMatricesOnlyWithWarmupCosineAndClippingFollowsPyTorch() {
        on("reference", DType.FLOAT64, () -> {
            double[] w0 = {0.5, -1.0, 1.5, 2.0, -0.5, 0.25}, b0 = {1.0, -2.0, 0.5}, a = {1, 2, 3, 0.5, 1, 2}, c = {2, 1, 3};
            Param w = Ops.param(w0.clone(), 2, 3), b = Ops.param(b0.clone(), 3);
            Value av = Ops.array(a, 2, 3), cv = Ops.array(c, 3);
            Optimizer opt = ParamGroups.decayMatricesOnly(LR, B1, B2, WD).clipNorm(CLIP)
                    .schedule(LearningRate.warmup(WARMUP, LearningRate.cosine(STEPS - WARMUP, LR / 10)));
            for (int s = 0; s < STEPS; s++) opt.step(AutoGrad.diff(() -> Ops.add(Ops.sum(Ops.square(Ops.mul(w, av))), Ops.sum(Ops.square(Ops.mul(b, cv))))));

            double[] rw = w0.clone(), rb = b0.clone(), mw = new double[6], vw = new double[6], mb = new double[3], vb = new double[3];
            for (int t = 1; t <= STEPS; t++) {
                double[] gw = new double[6], gb = new double[3];
                double sq = 0;
                for (int i = 0; i < 6; i++) { gw[i] = 2 * a[i] * a[i] * rw[i]; sq += gw[i] * gw[i]; }
                for (int i = 0; i < 3; i++) { gb[i] = 2 * c[i] * c[i] * rb[i]; sq += gb[i] * gb[i]; }
                double coef = Math.min(1, CLIP / (Math.sqrt(sq) + 1e-6));
                double lr = lrAt(t - 1);
                adamw(rw, gw, mw, vw, t, lr, WD, coef);
                adamw(rb, gb, mb, vb, t, lr, 0, coef);
            }
            assertArrayEquals(rw, w.data().toDoubleArray(), 1e-12);
            assertArrayEquals(rb, b.data().toDoubleArray(), 1e-12);
            assertEquals("adamw(lr=0.1, weightDecay=0.1, clipNorm=1.0) on matrices, adamw(lr=0.1) on the rest", opt.toString());
        });
    }

    /** The peer's lr_at. */
    private static double lrAt(int step) {
        if (step < WARMUP) return LR * (step + 1) / WARMUP;
        double p = (double) (step - WARMUP) / (STEPS - WARMUP);
        return LR / 10 + 0.5 * (LR - LR / 10) * (1 + Math.cos(Math.PI * p));
    }

    /** torch.optim.AdamW's single-tensor step on gradients scaled by coef. */
    private static void adamw(double[] p, double[] g, double[] m, double[] v, int t, double lr, double wd, double coef) {
        for (int i = 0; i < p.length; i++) {
            double gi = g[i] * coef;
            p[i] *= 1 - lr * wd;
            m[i] = B1 * m[i] + (1 - B1) * gi;
            v[i] = B2 * v[i] + (1 - B2) * gi * gi;
            double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(B2, t)) + EPS;
            p[i] -= lr / (1 - Math.pow(B1, t)) * m[i] / denom;
        }
    }
}
