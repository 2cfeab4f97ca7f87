package io.github.knetj.optim;

import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Param;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Two parameter groups, each with its own optimizer (PyTorch's {@code param_groups}): the parameters that
 * {@code inFirst} accepts are updated by {@code first}, the others by {@code second}; clipping is global over both
 * groups (configured on this object), and both groups follow one schedule and one step count. The usual use is
 * AdamW with weight decay on the matrices only, {@link #decayMatricesOnly}: biases, norms' scales and shifts are
 * not shrunk towards zero. {@code ParamGroups.decayMatricesOnly(1e-3, 0.9, 0.99, 0.1)} prints as
 * {@code adamw(lr=0.001, weightDecay=0.1) on matrices, adamw(lr=0.001) on the rest}.
 */
public final class ParamGroups implements Optimizer {
    private final Predicate<Param> inFirst;
    private final String firstName;
    private final Optimizer first, second;
    /** The parameters this optimizer is bound to ({@link #bind}), across both groups; null when unbound. */
    private List<Param> bound;

    /**
     * @param inFirst   which parameters the first optimizer updates
     * @param firstName the first group's name in {@link #toString()} ("matrices")
     * @param first     the first group's optimizer
     * @param second    the rest's optimizer; it must be the same kind, so that one saved state fits both
     */
    public ParamGroups(Predicate<Param> inFirst, String firstName, Optimizer first, Optimizer second) {
        if (!first.name().equals(second.name()) || !first.stateNames().equals(second.stateNames()))
            throw new IllegalArgumentException("ParamGroups: both groups must use one kind of optimizer, got " + first + " and " + second);
        this.inFirst = inFirst;
        this.firstName = firstName;
        this.first = first;
        this.second = second;
    }

    /** AdamW (eps 1e-8) with decoupled weight decay on parameters of rank ≥ 2, none on vectors and scalars. */
    public static ParamGroups decayMatricesOnly(double lr, double beta1, double beta2, double weightDecay) {
        return new ParamGroups(p -> p.shape().rank() >= 2, "matrices",
                Optimizers.adamw(lr, beta1, beta2, 1e-8, weightDecay), Optimizers.adamw(lr, beta1, beta2, 1e-8, 0));
    }

    private Optimizer of(Param p) { return inFirst.test(p) ? first : second; }

    @Override public String name() { return first.name(); }

    @Override public Optimizer bind(List<Param> params) { this.bound = params == null ? null : List.copyOf(params); return this; }

    @Override public List<Param> bound() { return bound; }
    @Override public void update(Param p, Tensor grad) { of(p).update(p, grad); }
    @Override public List<Tensor> clip(List<Tensor> grads) { return first.clip(grads); }
    @Override public void advance() { first.advance(); second.advance(); }
    @Override public long steps() { return first.steps(); }
    @Override public void steps(long steps) { first.steps(steps); second.steps(steps); }
    @Override public double baseLr() { return first.baseLr(); }
    @Override public double lr() { return first.lr(); }
    @Override public List<String> stateNames() { return first.stateNames(); }
    @Override public Map<String, Tensor> state(Param p) { return of(p).state(p); }
    @Override public List<Tensor> slots(Param p) { return of(p).slots(p); }
    @Override public void restore(Param p, Map<String, Tensor> state) { of(p).restore(p, state); }

    /** Sets the first group's weight decay (the second keeps its own). */
    @Override public Optimizer weightDecay(double w) { first.weightDecay(w); return this; }

    @Override public Optimizer clipNorm(double c) { first.clipNorm(c); return this; }

    /** Per-parameter clipping (Knet's gclip) is the first group's, which clips every gradient of the step. */
    @Override public Optimizer clipNormEach(double c) { first.clipNormEach(c); return this; }

    @Override public Optimizer clipValue(double c) { first.clipValue(c); return this; }

    @Override public Optimizer schedule(LearningRate s) { first.schedule(s); second.schedule(s); return this; }

    @Override public String toString() { return first + " on " + firstName + ", " + second + " on the rest"; }
}
