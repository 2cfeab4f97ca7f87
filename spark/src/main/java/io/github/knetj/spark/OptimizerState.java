package io.github.knetj.spark;

import io.github.knetj.api.DType;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.optim.Optimizer;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An optimizer's per-parameter state as arrays (Adam's m and v, momentum's buffer, and each parameter's update
 * count), for local SGD: the driver broadcasts the averaged state, each worker continues from it, and the workers'
 * states are averaged again at the end of a round, as DL4J's parameter averaging does with its updater state.
 *
 * @param name   the optimizer's name, checked against the one that restores it
 * @param slots  per parameter, its state tensors in {@link Optimizer#stateNames()} order; null before its first update
 * @param counts per parameter, its update count
 */
public record OptimizerState(String name, double[][][] slots, long[] counts) implements Serializable {
    /** The state opt holds for these parameters. */
    public static OptimizerState of(Optimizer opt, List<Param> params) {
        double[][][] slots = new double[params.size()][][];
        long[] counts = new long[params.size()];
        List<String> names = opt.stateNames();
        for (int i = 0; i < params.size(); i++) {
            Map<String, Tensor> st = opt.state(params.get(i));
            if (st.isEmpty()) continue;
            slots[i] = new double[names.size()][];
            for (int s = 0; s < names.size(); s++) {
                Tensor t = st.get(names.get(s));
                slots[i][s] = t.backend().memory().toDoubleArray(t);
            }
            counts[i] = Math.round(st.get("step").item());
        }
        return new OptimizerState(opt.name(), slots, counts);
    }

    /** Puts this state into opt for these parameters (those with no state are left without). */
    public void restoreInto(Optimizer opt, List<Param> params) {
        if (!opt.name().equals(name)) throw new IllegalArgumentException("OptimizerState: state of '" + name + "' cannot restore '" + opt.name() + "'");
        if (params.size() != slots.length) throw new IllegalArgumentException("OptimizerState: " + slots.length + " parameters' state for " + params.size() + " parameters");
        List<String> names = opt.stateNames();
        for (int i = 0; i < params.size(); i++) {
            if (slots[i] == null) continue;
            Param p = params.get(i);
            Map<String, Tensor> st = new LinkedHashMap<>();
            for (int s = 0; s < names.size(); s++) st.put(names.get(s), Weights.tensor(p, slots[i][s], p.dtype()));
            st.put("step", p.data().backend().memory().scalar(counts[i], DType.FLOAT64));
            opt.restore(p, st);
        }
    }
}
