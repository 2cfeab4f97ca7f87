package io.github.knetj.spark;

import java.io.Serializable;

/**
 * What one local-SGD round brings back: the sum over workers of their parameters and optimizer state after their
 * local steps, which the driver divides by the number of workers (parameter averaging), plus the round's loss and
 * accuracy over all the examples the workers trained on.
 */
public final class ModelSum implements Serializable {
    private static final long serialVersionUID = 1L;

    double[][] params;
    /** Per parameter and state slot, the sum over the workers that hold state for it; null where none does. */
    double[][][] slots;
    /** Per parameter, the sum of the workers' update counts and how many workers hold state for it. */
    long[] countSums;
    int[] stateParts;
    double lossSum;
    double correct;
    long examples;
    double computeSeconds;
    int parts;

    public static ModelSum empty() { return new ModelSum(); }

    /** One worker's model and state. */
    static ModelSum of(Weights w, OptimizerState st, double lossSum, double correct, long examples, double seconds) {
        ModelSum m = new ModelSum();
        m.params = w.values();
        m.slots = st.slots();
        m.countSums = st.counts().clone();
        m.stateParts = new int[st.slots().length];
        for (int i = 0; i < m.stateParts.length; i++) m.stateParts[i] = st.slots()[i] == null ? 0 : 1;
        m.lossSum = lossSum;
        m.correct = correct;
        m.examples = examples;
        m.computeSeconds = seconds;
        m.parts = 1;
        return m;
    }

    /** Adds other into this sum and returns this. */
    public ModelSum merge(ModelSum other) {
        if (other.parts == 0) return this;
        if (parts == 0) {
            params = deepCopy(other.params);
            slots = new double[other.slots.length][][];
            for (int i = 0; i < slots.length; i++) slots[i] = other.slots[i] == null ? null : deepCopy(other.slots[i]);
            countSums = other.countSums.clone();
            stateParts = other.stateParts.clone();
        } else {
            if (params.length != other.params.length)
                throw new IllegalStateException("ModelSum: workers disagree on the number of parameters (" + params.length + " and " + other.params.length + ")");
            for (int i = 0; i < params.length; i++) {
                add(params[i], other.params[i]);
                if (other.slots[i] == null) continue;
                if (slots[i] == null) slots[i] = deepCopy(other.slots[i]);
                else for (int s = 0; s < slots[i].length; s++) add(slots[i][s], other.slots[i][s]);
                countSums[i] += other.countSums[i];
                stateParts[i] += other.stateParts[i];
            }
        }
        lossSum += other.lossSum;
        correct += other.correct;
        examples += other.examples;
        computeSeconds += other.computeSeconds;
        parts += other.parts;
        return this;
    }

    /** The average of the workers' parameters. */
    Weights meanWeights(int[][] shapes) {
        double[][] v = new double[params.length][];
        for (int i = 0; i < v.length; i++) v[i] = scaled(params[i], 1.0 / parts);
        return new Weights(shapes, v);
    }

    /** The average of the workers' optimizer states, over the workers that hold state for each parameter. */
    OptimizerState meanState(String optimizer) {
        double[][][] s = new double[slots.length][][];
        long[] counts = new long[slots.length];
        for (int i = 0; i < s.length; i++) {
            if (slots[i] == null) continue;
            s[i] = new double[slots[i].length][];
            for (int k = 0; k < s[i].length; k++) s[i][k] = scaled(slots[i][k], 1.0 / stateParts[i]);
            counts[i] = Math.round((double) countSums[i] / stateParts[i]);
        }
        return new OptimizerState(optimizer, s, counts);
    }

    private static void add(double[] into, double[] x) { for (int j = 0; j < into.length; j++) into[j] += x[j]; }

    private static double[] scaled(double[] x, double c) {
        double[] y = new double[x.length];
        for (int j = 0; j < y.length; j++) y[j] = x[j] * c;
        return y;
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) c[i] = a[i].clone();
        return c;
    }
}
