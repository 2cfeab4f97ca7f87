package io.github.knetj.optim;

import io.github.knetj.api.Tensor;
import io.github.knetj.api.TensorScope;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Tape;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An optimizer: the rule that turns a parameter's gradient into a new value for it, with its per-parameter state
 * (moments, accumulators) kept in {@link Param#opt} as Knet does. Made by {@link Optimizers}; numerics follow
 * PyTorch's definitions of the same optimizers.
 * <pre>{@code
 * Optimizer opt = Optimizers.adam(1e-3).clipNorm(1.0).schedule(LearningRate.cosine(10_000, 0));
 * Tape tape = AutoGrad.diff(() -> NNOps.crossEntropy(model.apply(x), labels));
 * opt.step(tape);
 * }</pre>
 * Two models on one tape, each with its own optimizer (as a GAN trains):
 * <pre>{@code
 * Optimizer dOpt = Optimizers.adam(2e-4).bind(Params.of(discriminator));
 * dOpt.step(AutoGrad.diff(() -> dLoss()));   // moves the discriminator only, though the tape reached the generator too
 * }</pre>
 */
public interface Optimizer {
    /** The optimizer's name as {@link Optimizers#byName} knows it ("adam"). */
    String name();

    /**
     * One update of one parameter with its gradient at the current learning rate, weight decay included; the
     * parameter's tensor is replaced (and the old one closed). Clipping is a property of a whole step, see {@link #step}.
     */
    void update(Param p, Tensor grad);

    /**
     * Updates the parameters this optimizer is bound to ({@link #bind}), or, when unbound, every parameter the tape's
     * result depends on; see {@link #step(Tape, List)}.
     */
    default void step(Tape tape) { step(tape, bound() != null ? bound() : tape.params()); }

    /**
     * Updates only {@code params} (Knet's {@code update!(params, grads)}): their gradients on the tape are clipped
     * first when configured (each parameter's own norm ({@link #clipNormEach}), then the global norm over all of
     * them, then by value), then each parameter is updated, then the schedule advances one step. A parameter the
     * result does not depend on has no gradient and is left alone. So two optimizers, each given its own model's
     * parameters, can train two models from one tape (a GAN's generator and discriminator). Intermediate tensors are
     * released here; the new parameters and state survive into the enclosing scope.
     */
    default void step(Tape tape, List<Param> params) {
        List<Param> used = new ArrayList<>(params.size());
        for (Param p : params) if (tape.grad(p) != null) used.add(p);
        try (TensorScope scope = TensorScope.open()) {
            List<Tensor> grads = new ArrayList<>(used.size());
            for (Param p : used) grads.add(tape.grad(p).data());
            grads = clip(grads);
            for (int i = 0; i < used.size(); i++) {
                Param p = used.get(i);
                update(p, grads.get(i));
                scope.keep(p.data());
                for (Tensor t : slots(p)) scope.keep(t);
            }
        }
        advance();
    }

    /**
     * Binds this optimizer to a parameter list (Knet's {@code optimizers(model, Adam)} per model): {@link #step(Tape)}
     * then updates these parameters only, whatever else the tape reached. Returns this optimizer.
     */
    Optimizer bind(List<Param> params);

    /** The parameters this optimizer is bound to, or null when it updates whatever a tape reaches. */
    List<Param> bound();

    /** The gradients clipped as configured ({@link #clipNormEach}, {@link #clipNorm}, {@link #clipValue}); the list itself when none is. */
    List<Tensor> clip(List<Tensor> grads);

    /** Moves the learning-rate schedule one step on; {@link #step} calls it. */
    void advance();

    /** The number of steps taken so far (what the schedule is evaluated at). */
    long steps();

    /** Sets the step count, for resuming a saved run with its schedule. */
    void steps(long steps);

    /** The base learning rate. */
    double baseLr();

    /** The learning rate the next update uses: the schedule at {@link #steps()}. */
    double lr();

    /** Adds L2 weight decay (AdamW: decoupled weight decay, its own default 0.01); returns this optimizer. */
    Optimizer weightDecay(double w);

    /** Scales all gradients of a step so that their global L2 norm is at most {@code c} (PyTorch's clip_grad_norm_). */
    Optimizer clipNorm(double c);

    /**
     * Scales each parameter's gradient on its own so that its L2 norm is at most {@code c} (Knet's {@code gclip}:
     * g·c/‖g‖ when ‖g‖ &gt; c), before any global clipping.
     */
    Optimizer clipNormEach(double c);

    /** Clamps every gradient element into [−c, c] (PyTorch's clip_grad_value_). */
    Optimizer clipValue(double c);

    /** Sets the learning-rate schedule; returns this optimizer. */
    Optimizer schedule(LearningRate schedule);

    /** The names of the state tensors each parameter carries ("m", "v" for Adam), besides its step count. */
    List<String> stateNames();

    /**
     * The state of one parameter by name, for saving: the tensors of {@link #stateNames()} (live: do not close them)
     * and "step", this parameter's update count as a new float64 scalar. Empty before the parameter's first update.
     */
    Map<String, Tensor> state(Param p);

    /**
     * The live state tensors of one parameter (those of {@link #stateNames()}, nothing new is made), for keeping
     * them alive past a {@link TensorScope}; empty before the parameter's first update.
     */
    List<Tensor> slots(Param p);

    /** Replaces a parameter's state with saved tensors (every name of {@link #stateNames()} and "step", shapes checked). */
    void restore(Param p, Map<String, Tensor> state);
}
