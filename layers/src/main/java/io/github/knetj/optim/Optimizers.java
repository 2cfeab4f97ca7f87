package io.github.knetj.optim;

import java.util.Locale;

/**
 * Factories for the optimizers, with PyTorch's defaults for everything but the learning rate. Each returns a fresh
 * {@link Optimizer} that can be refined fluently: {@code Optimizers.adam(1e-3).weightDecay(1e-4).clipNorm(1)}.
 */
public final class Optimizers {
    private Optimizers() {}

    /** The names {@link #byName} accepts. */
    public static final java.util.List<String> NAMES = java.util.List.of("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam", "adamw");

    /** Plain SGD: w ← w − lr·g. */
    public static Optimizer sgd(double lr) { return new RuleOptimizer(new UpdateRule.Sgd(0, false), lr, 0); }

    /** SGD with momentum m (PyTorch's form: buf ← m·buf + g, w ← w − lr·buf). */
    public static Optimizer momentum(double lr, double m) { return new RuleOptimizer(new UpdateRule.Sgd(checkMomentum(m), false), lr, 0); }

    /** SGD with Nesterov momentum m (PyTorch's form: w ← w − lr·(g + m·buf)). */
    public static Optimizer nesterov(double lr, double m) { return new RuleOptimizer(new UpdateRule.Sgd(checkMomentum(m), true), lr, 0); }

    /** Adagrad with eps 1e-10. */
    public static Optimizer adagrad(double lr) { return adagrad(lr, 1e-10); }

    public static Optimizer adagrad(double lr, double eps) { return new RuleOptimizer(new UpdateRule.Adagrad(eps), lr, 0); }

    /** RMSprop with alpha 0.99 and eps 1e-8. */
    public static Optimizer rmsprop(double lr) { return rmsprop(lr, 0.99, 1e-8); }

    public static Optimizer rmsprop(double lr, double alpha, double eps) { return new RuleOptimizer(new UpdateRule.Rmsprop(alpha, eps), lr, 0); }

    /** Adadelta with rho 0.9 and eps 1e-6 (PyTorch's default lr is 1.0). */
    public static Optimizer adadelta(double lr) { return adadelta(lr, 0.9, 1e-6); }

    public static Optimizer adadelta(double lr, double rho, double eps) { return new RuleOptimizer(new UpdateRule.Adadelta(rho, eps), lr, 0); }

    /** Adam with betas 0.9/0.999 and eps 1e-8. */
    public static Optimizer adam(double lr) { return adam(lr, 0.9, 0.999, 1e-8); }

    public static Optimizer adam(double lr, double beta1, double beta2, double eps) {
        return new RuleOptimizer(new UpdateRule.Adam(beta1, beta2, eps, false), lr, 0);
    }

    /** AdamW with betas 0.9/0.999, eps 1e-8 and decoupled weight decay 0.01. */
    public static Optimizer adamw(double lr) { return adamw(lr, 0.9, 0.999, 1e-8, 0.01); }

    public static Optimizer adamw(double lr, double beta1, double beta2, double eps, double weightDecay) {
        return new RuleOptimizer(new UpdateRule.Adam(beta1, beta2, eps, true), lr, 0).weightDecay(weightDecay);
    }

    /** The optimizer of this name (one of {@link #NAMES}, case-insensitive) with its defaults; momentum is 0.9. */
    public static Optimizer byName(String name, double lr) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "sgd" -> sgd(lr);
            case "momentum" -> momentum(lr, 0.9);
            case "nesterov" -> nesterov(lr, 0.9);
            case "adagrad" -> adagrad(lr);
            case "rmsprop" -> rmsprop(lr);
            case "adadelta" -> adadelta(lr);
            case "adam" -> adam(lr);
            case "adamw" -> adamw(lr);
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "': expected one of " + NAMES);
        };
    }

    private static double checkMomentum(double m) {
        if (!(m > 0 && m < 1)) throw new IllegalArgumentException("momentum must be in (0, 1), got " + m);
        return m;
    }
}
