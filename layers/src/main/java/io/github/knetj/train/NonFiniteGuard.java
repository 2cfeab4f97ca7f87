package io.github.knetj.train;

import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.layers.Params;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Stops training at the first step whose loss is NaN or infinite, with the step, the loss and the first parameter (in
 * the model's order) that holds a non-finite value. Without it, {@code --lr 1000} diverged to Infinity and NaN and
 * the run still ended "successfully" with a test accuracy of 0.098.
 * <p>
 * Only the loss is read on every step, which costs nothing: a parameter that goes non-finite makes the next loss
 * non-finite, and only then are the parameters scanned to name it. Use it as {@code trainer.onStep(new NonFiniteGuard(model))}.
 */
public final class NonFiniteGuard implements Consumer<StepInfo> {
    /** The error a guarded run ends with. */
    public static final class NonFiniteException extends IllegalStateException {
        NonFiniteException(String message) { super(message); }
    }

    private final Object model;

    /** A guard for the parameters of model. */
    public NonFiniteGuard(Object model) { this.model = model; }

    @Override public void accept(StepInfo step) { check(step.step(), step.loss()); }

    /** Throws {@link NonFiniteException} when loss is not finite, naming step, loss and the first non-finite parameter. */
    public void check(long step, double loss) {
        if (Double.isFinite(loss)) return;
        throw new NonFiniteException("training diverged at step " + step + ": the loss is " + loss + "; " + firstNonFinite(model)
                + " (lower the learning rate, or pass --allow-nonfinite to go on anyway)");
    }

    /** "parameter 'layers.0.w' [20, 1, 5, 5] holds NaN at element 17" or "every parameter is still finite". */
    public static String firstNonFinite(Object model) {
        for (Map.Entry<String, Param> e : Params.named(model).entrySet()) {
            double[] v = e.getValue().data().toDoubleArray();
            for (int i = 0; i < v.length; i++)
                if (!Double.isFinite(v[i]))
                    return "parameter '" + e.getKey() + "' " + e.getValue().shape() + " holds " + v[i] + " at element " + i;
        }
        return "every parameter is still finite (the loss overflowed on this batch)";
    }
}
