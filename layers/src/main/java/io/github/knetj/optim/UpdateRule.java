package io.github.knetj.optim;

import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.Fused;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.UnaryOp;

import java.util.List;

/**
 * The arithmetic of one optimizer, PyTorch's definition written with the backend's element-wise kernels: given the
 * weight, the gradient (weight decay already added), the state slots and the step number, the new weight and slots.
 */
interface UpdateRule {
    /** The name {@link Optimizers#byName} knows. */
    String name();

    /** Names of the state slots, each a tensor of the parameter's shape starting at zero. */
    List<String> slots();

    /** Whether weight decay is decoupled (AdamW: w ← w·(1 − lr·wd)) rather than added to the gradient. */
    default boolean decoupledDecay() { return false; }

    /**
     * The new weight; {@code s} holds the slots on entry and receives their new values.
     * {@code t} is this parameter's 1-based update number (Adam's bias correction).
     */
    Tensor apply(Fused e, Tensor w, Tensor g, Tensor[] s, long t, double lr);

    // ---- small helpers shared by the rules ------------------------------------------------------------------------

    /** a·x + b·y, skipping the scaling where a coefficient is 1. */
    static Tensor axpby(Fused e, double a, Tensor x, double b, Tensor y) {
        Tensor ax = a == 1 ? x : e.affine(x, a, 0);
        Tensor by = b == 1 ? y : e.affine(y, b, 0);
        return e.binary(BinaryOp.ADD, ax, by);
    }

    /** rho·avg + (1 − rho)·x², the running average of squares of RMSprop, Adadelta and Adam. */
    static Tensor squareAverage(Fused e, double rho, Tensor avg, Tensor x) {
        return axpby(e, rho, avg, 1 - rho, e.unary(UnaryOp.SQUARE, x));
    }

    /** SGD with optional momentum (dampening 0) and Nesterov, as torch.optim.SGD. */
    record Sgd(double momentum, boolean nesterov) implements UpdateRule {
        @Override public String name() { return nesterov ? "nesterov" : momentum != 0 ? "momentum" : "sgd"; }
        @Override public List<String> slots() { return momentum != 0 ? List.of("momentum_buffer") : List.of(); }
        @Override public Tensor apply(Fused e, Tensor w, Tensor g, Tensor[] s, long t, double lr) {
            Tensor d = g;
            if (momentum != 0) {
                // PyTorch starts the buffer at the first gradient; momentum·0 + g is exactly that.
                s[0] = axpby(e, momentum, s[0], 1, g);
                d = nesterov ? axpby(e, 1, g, momentum, s[0]) : s[0];
            }
            return e.sgdStep(w, d, lr);
        }
    }

    /** Adagrad (no learning-rate decay, accumulator starting at 0), as torch.optim.Adagrad. */
    record Adagrad(double eps) implements UpdateRule {
        @Override public String name() { return "adagrad"; }
        @Override public List<String> slots() { return List.of("sum"); }
        @Override public Tensor apply(Fused e, Tensor w, Tensor g, Tensor[] s, long t, double lr) {
            s[0] = e.binary(BinaryOp.ADD, s[0], e.unary(UnaryOp.SQUARE, g));
            Tensor std = e.affine(e.unary(UnaryOp.SQRT, s[0]), 1, eps);
            return axpby(e, 1, w, -lr, e.binary(BinaryOp.DIV, g, std));
        }
    }

    /** RMSprop (not centred, no momentum), as torch.optim.RMSprop. */
    record Rmsprop(double alpha, double eps) implements UpdateRule {
        @Override public String name() { return "rmsprop"; }
        @Override public List<String> slots() { return List.of("square_avg"); }
        @Override public Tensor apply(Fused e, Tensor w, Tensor g, Tensor[] s, long t, double lr) {
            s[0] = squareAverage(e, alpha, s[0], g);
            Tensor avg = e.affine(e.unary(UnaryOp.SQRT, s[0]), 1, eps);
            return axpby(e, 1, w, -lr, e.binary(BinaryOp.DIV, g, avg));
        }
    }

    /** Adadelta, as torch.optim.Adadelta. */
    record Adadelta(double rho, double eps) implements UpdateRule {
        @Override public String name() { return "adadelta"; }
        @Override public List<String> slots() { return List.of("square_avg", "acc_delta"); }
        @Override public Tensor apply(Fused e, Tensor w, Tensor g, Tensor[] s, long t, double lr) {
            s[0] = squareAverage(e, rho, s[0], g);
            Tensor std = e.unary(UnaryOp.SQRT, e.affine(s[0], 1, eps));
            Tensor rms = e.unary(UnaryOp.SQRT, e.affine(s[1], 1, eps));
            Tensor delta = e.binary(BinaryOp.MUL, e.binary(BinaryOp.DIV, rms, std), g);
            s[1] = squareAverage(e, rho, s[1], delta);
            return axpby(e, 1, w, -lr, delta);
        }
    }

    /** Adam, and AdamW when {@code decoupled}, as torch.optim.Adam and AdamW (no amsgrad). */
    record Adam(double beta1, double beta2, double eps, boolean decoupled) implements UpdateRule {
        @Override public String name() { return decoupled ? "adamw" : "adam"; }
        @Override public List<String> slots() { return List.of("exp_avg", "exp_avg_sq"); }
        @Override public boolean decoupledDecay() { return decoupled; }
        @Override public Tensor apply(Fused e, Tensor w, Tensor g, Tensor[] s, long t, double lr) {
            double bias1 = 1 - Math.pow(beta1, t);
            double bias2 = 1 - Math.pow(beta2, t);
            Tensor[] out = e.adamStep(w, g, s[0], s[1], beta1, beta2, lr / bias1, 1 / Math.sqrt(bias2), eps);
            // One copy instead of two element stores: each store into the Tensor[] was a type check that C2
            // speculated on and then deoptimized, recompiling the whole inlined update three or four times in warm-up.
            System.arraycopy(out, 1, s, 0, 2);
            return out[0];
        }
    }
}
