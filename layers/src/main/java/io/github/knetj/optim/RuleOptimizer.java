package io.github.knetj.optim;

import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.DType;
import io.github.knetj.api.Fused;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.TensorScope;
import io.github.knetj.api.UnaryOp;
import io.github.knetj.autograd.AutoGrad.Param;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one implementation of {@link Optimizer}: an {@link UpdateRule} plus what every optimizer shares (learning rate and
 * schedule, weight decay, clipping, per-parameter state in {@link Param#opt}).
 */
final class RuleOptimizer implements Optimizer {
    /** The state one parameter carries: the rule's slots and its own update count, tagged with its owner. */
    private static final class State {
        final RuleOptimizer owner;
        final Tensor[] slots;
        long t;

        State(RuleOptimizer owner, Tensor[] slots, long t) { this.owner = owner; this.slots = slots; this.t = t; }
    }

    private final UpdateRule rule;
    private final double lr;
    private double weightDecay;
    private double clipNorm = Double.POSITIVE_INFINITY;
    private double clipValue = Double.POSITIVE_INFINITY;
    private double clipNormEach = Double.POSITIVE_INFINITY;
    private List<Param> bound;
    private LearningRate schedule = LearningRate.constant();
    private long steps;

    RuleOptimizer(UpdateRule rule, double lr, double weightDecay) {
        if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException(rule.name() + ": learning rate must be a finite number ≥ 0, got " + lr);
        this.rule = rule;
        this.lr = lr;
        this.weightDecay = weightDecay;
    }

    @Override public String name() { return rule.name(); }
    @Override public double baseLr() { return lr; }
    @Override public double lr() { return schedule.at(lr, steps); }
    @Override public long steps() { return steps; }
    @Override public void advance() { steps++; }
    @Override public List<String> stateNames() { return rule.slots(); }

    @Override public void steps(long steps) {
        if (steps < 0) throw new IllegalArgumentException(name() + ": step count must not be negative, got " + steps);
        this.steps = steps;
    }

    @Override public Optimizer weightDecay(double w) {
        if (!(w >= 0) || Double.isInfinite(w)) throw new IllegalArgumentException(name() + ": weight decay must be a finite number ≥ 0, got " + w);
        weightDecay = w;
        return this;
    }

    @Override public Optimizer clipNorm(double c) {
        if (!(c > 0)) throw new IllegalArgumentException(name() + ": clipNorm must be positive, got " + c);
        clipNorm = c;
        return this;
    }

    @Override public Optimizer clipNormEach(double c) {
        if (!(c > 0)) throw new IllegalArgumentException(name() + ": clipNormEach must be positive, got " + c);
        clipNormEach = c;
        return this;
    }

    @Override public Optimizer bind(List<Param> params) {
        java.util.Objects.requireNonNull(params, "bind: params");
        if (params.isEmpty()) throw new IllegalArgumentException(name() + ": bind needs at least one parameter, got an empty list");
        bound = List.copyOf(params);
        return this;
    }

    @Override public List<Param> bound() { return bound; }

    @Override public Optimizer clipValue(double c) {
        if (!(c > 0)) throw new IllegalArgumentException(name() + ": clipValue must be positive, got " + c);
        clipValue = c;
        return this;
    }

    @Override public Optimizer schedule(LearningRate s) {
        schedule = java.util.Objects.requireNonNull(s, "schedule");
        return this;
    }

    @Override public void update(Param p, Tensor grad) {
        Tensor w = p.data();
        if (!grad.shape().equals(w.shape()) || grad.dtype() != w.dtype() || grad.backend() != w.backend())
            throw new IllegalArgumentException(name() + ": gradient " + grad.shape() + " " + grad.dtype() + " on " + grad.backend().name()
                    + " does not match parameter " + w.shape() + " " + w.dtype() + " on " + w.backend().name());
        State st = stateOf(p);
        Tensor[] old = st.slots.clone();
        double rate = lr();
        Tensor next;
        try (TensorScope scope = TensorScope.open()) {
            Fused e = w.backend().fused();
            Tensor x = w;
            Tensor g = grad;
            if (weightDecay != 0) {
                if (rule.decoupledDecay()) x = e.affine(w, 1 - rate * weightDecay, 0);
                else g = UpdateRule.axpby(e, 1, grad, weightDecay, w);
            }
            next = scope.keep(rule.apply(e, x, g, st.slots, st.t + 1, rate));
            for (Tensor s : st.slots) scope.keep(s);
        }
        st.t++;
        p.set(next);
        // The replaced tensors are closed now so that device memory stays flat over training.
        if (next != w) w.close();
        for (int i = 0; i < old.length; i++) if (old[i] != st.slots[i]) old[i].close();
    }

    /** This parameter's state, created (zeros) on first use or when another optimizer left its own there. */
    private State stateOf(Param p) {
        if (p.opt instanceof State s && s.owner == this) return s;
        Tensor w = p.data();
        Tensor[] slots = new Tensor[rule.slots().size()];
        for (int i = 0; i < slots.length; i++) slots[i] = w.backend().memory().zeros(w.shape(), w.dtype());
        State s = new State(this, slots, 0);
        p.opt = s;
        return s;
    }

    @Override public List<Tensor> clip(List<Tensor> grads) {
        List<Tensor> out = grads;
        if (clipNormEach != Double.POSITIVE_INFINITY) {
            List<Tensor> each = new ArrayList<>(out.size());
            for (Tensor g : out) {
                double norm = Math.sqrt(squaredNorm(g));
                each.add(norm > clipNormEach ? g.backend().fused().affine(g, clipNormEach / norm, 0) : g);
            }
            out = each;
        }
        if (clipNorm != Double.POSITIVE_INFINITY && !grads.isEmpty()) {
            double sq = 0;
            for (Tensor g : out) sq += squaredNorm(g);
            // As torch.nn.utils.clip_grad_norm_: scale by max_norm/(norm + 1e-6) when that is below 1.
            double coef = clipNorm / (Math.sqrt(sq) + 1e-6);
            if (coef < 1) {
                List<Tensor> scaled = new ArrayList<>(out.size());
                for (Tensor g : out) scaled.add(g.backend().fused().affine(g, coef, 0));
                out = scaled;
            }
        }
        if (clipValue != Double.POSITIVE_INFINITY) {
            List<Tensor> clamped = new ArrayList<>(out.size());
            for (Tensor g : out) {
                Fused e = g.backend().fused();
                Tensor lo = g.backend().memory().scalar(-clipValue, g.dtype());
                Tensor hi = g.backend().memory().scalar(clipValue, g.dtype());
                clamped.add(e.binary(BinaryOp.MINIMUM, e.binary(BinaryOp.MAXIMUM, g, lo), hi));
            }
            out = clamped;
        }
        return out;
    }

    private static double squaredNorm(Tensor g) {
        return g.backend().reductions().sum(g.backend().fused().unary(UnaryOp.SQUARE, g), null, false).item();
    }

    @Override public List<Tensor> slots(Param p) {
        return p.opt instanceof State s && s.owner == this ? List.of(s.slots) : List.of();
    }

    @Override public Map<String, Tensor> state(Param p) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        if (!(p.opt instanceof State s) || s.owner != this) return m;
        List<String> names = rule.slots();
        for (int i = 0; i < names.size(); i++) m.put(names.get(i), s.slots[i]);
        m.put("step", p.data().backend().memory().scalar(s.t, DType.FLOAT64));
        return m;
    }

    @Override public void restore(Param p, Map<String, Tensor> saved) {
        Tensor w = p.data();
        List<String> names = rule.slots();
        Tensor[] slots = new Tensor[names.size()];
        for (int i = 0; i < slots.length; i++) {
            Tensor t = saved.get(names.get(i));
            if (t == null) throw new IllegalArgumentException(name() + ": saved state lacks '" + names.get(i) + "' (has " + saved.keySet() + ")");
            if (!t.shape().equals(w.shape()))
                throw new IllegalArgumentException(name() + ": saved state '" + names.get(i) + "' has shape " + t.shape() + ", the parameter " + w.shape());
            slots[i] = t.to(w.backend()).to(w.dtype());
        }
        Tensor step = saved.get("step");
        if (step == null) throw new IllegalArgumentException(name() + ": saved state lacks 'step' (has " + saved.keySet() + ")");
        double t = step.item();
        if (!(t >= 0) || t != Math.rint(t)) throw new IllegalArgumentException(name() + ": saved 'step' must be a whole number ≥ 0, got " + t);
        p.opt = new State(this, slots, (long) t);
    }

    @Override public String toString() {
        return name() + "(lr=" + lr + (weightDecay != 0 ? ", weightDecay=" + weightDecay : "")
                + (clipNorm != Double.POSITIVE_INFINITY ? ", clipNorm=" + clipNorm : "")
                + (clipNormEach != Double.POSITIVE_INFINITY ? ", clipNormEach=" + clipNormEach : "")
                + (clipValue != Double.POSITIVE_INFINITY ? ", clipValue=" + clipValue : "")
                + (bound != null ? ", bound to " + bound.size() + " params" : "") + ")";
    }
}
