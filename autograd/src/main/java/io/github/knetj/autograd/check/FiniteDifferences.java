package io.github.knetj.autograd.check;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.AutoGrad;
import io.github.knetj.autograd.Ops;
import io.github.knetj.autograd.check.GradCheck.Entry;
import io.github.knetj.autograd.check.GradCheck.Options;
import io.github.knetj.autograd.check.GradCheck.Report;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * One run of {@link GradCheck}: the analytic gradients from one {@link AutoGrad#diff}, then central differences of
 * the same scalar for each parameter in turn, perturbing the parameter's data in place and restoring it afterwards.
 */
final class FiniteDifferences {
    private final Options options;
    private final Supplier<Value> f;
    private final SplittableRandom random;
    /** The fixed random weights that reduce a non-scalar result to a scalar; drawn at the first evaluation. */
    private Tensor weights;

    FiniteDifferences(Options options, Supplier<Value> f, SplittableRandom random) {
        this.options = options;
        this.f = f;
        this.random = random;
    }

    Report run(List<String> names, List<Param> params) {
        List<Tensor> saved = new ArrayList<>();
        for (Param p : params) saved.add(p.data());
        List<Entry> entries = new ArrayList<>();
        try {
            Tape tape = AutoGrad.diff(() -> reduce(f.get()));
            for (int i = 0; i < params.size(); i++) {
                Param p = params.get(i);
                Value g = tape.grad(p);
                double[] analytic = g == null ? new double[p.shape().sizeInt()] : g.data().toDoubleArray();
                if (analytic.length != p.shape().size())
                    throw new IllegalStateException("GradCheck: gradient of " + names.get(i) + " has shape " + g.shape() + ", expected " + p.shape());
                entries.add(check(names.get(i), p, analytic));
            }
        } finally {
            for (int i = 0; i < params.size(); i++) params.get(i).set(saved.get(i));
        }
        DType first = params.isEmpty() ? options.dtype() : saved.get(0).dtype();
        return new Report(List.copyOf(entries), options.epsFor(first));
    }

    /** The scalar that is differentiated: y itself when it has one element, else Σ weights ⊙ y. */
    private Value reduce(Value y) {
        if (y.shape().size() == 1) return y;
        if (weights == null) {
            double[] w = new double[y.shape().sizeInt()];
            for (int i = 0; i < w.length; i++) w[i] = normal(random);
            weights = y.backend().memory().fromArray(w, y.shape(), y.dtype());
        }
        if (!weights.shape().equals(y.shape()))
            throw new IllegalStateException("GradCheck: the function returned shape " + y.shape() + " after " + weights.shape() + "; it must be deterministic");
        return Ops.sum(Ops.mul(y, new Value(weights)));
    }

    /** The scalar at the parameters' current data, not recorded. */
    private double eval() { return reduce(f.get()).item(); }

    private Entry check(String name, Param p, double[] analytic) {
        Tensor base = p.data();
        DType dtype = base.dtype();
        double eps = options.epsFor(dtype);
        double[] x = base.toDoubleArray();
        boolean jacobian = x.length <= options.maxJacobian();
        double[] numeric, expected;
        if (jacobian) {
            numeric = new double[x.length];
            for (int j = 0; j < x.length; j++) {
                double xj = x[j];
                double plus = round(xj + eps, dtype), minus = round(xj - eps, dtype);
                x[j] = plus;
                double fp = evalAt(p, base, x);
                x[j] = minus;
                double fm = evalAt(p, base, x);
                x[j] = xj;
                numeric[j] = (fp - fm) / (plus - minus);   // the step actually taken, after rounding to the dtype
            }
            expected = analytic;
        } else {
            int k = options.directions();
            numeric = new double[k];
            expected = new double[k];
            for (int d = 0; d < k; d++) {
                double[] u = unitDirection(random, x.length);
                double[] xp = new double[x.length], xm = new double[x.length];
                double dot = 0;
                for (int j = 0; j < x.length; j++) {
                    xp[j] = round(x[j] + eps * u[j], dtype);
                    xm[j] = round(x[j] - eps * u[j], dtype);
                    dot += analytic[j] * (xp[j] - xm[j]);
                }
                numeric[d] = (evalAt(p, base, xp) - evalAt(p, base, xm)) / (2 * eps);
                expected[d] = dot / (2 * eps);
            }
        }
        p.set(base);
        return entry(name, base.shape(), dtype, jacobian ? "jacobian" : "projection", expected, numeric);
    }

    private double evalAt(Param p, Tensor base, double[] x) {
        Backend b = base.backend();
        p.set(b.memory().fromArray(x.clone(), base.shape(), base.dtype()));
        return eval();
    }

    private Entry entry(String name, Shape shape, DType dtype, String method, double[] analytic, double[] numeric) {
        double maxAbs = 0, scale = 0;
        boolean finite = true;
        for (int j = 0; j < analytic.length; j++) {
            double err = Math.abs(analytic[j] - numeric[j]);
            if (!Double.isFinite(err)) finite = false;
            else maxAbs = Math.max(maxAbs, err);
            scale = Math.max(scale, Math.max(Math.abs(analytic[j]), Math.abs(numeric[j])));
        }
        if (!finite) maxAbs = Double.NaN;
        double tolerance = options.atolFor(dtype) + options.rtolFor(dtype) * (Double.isFinite(scale) ? scale : 0);
        double rel = maxAbs == 0 ? 0 : maxAbs / scale;
        return new Entry(name, shape.toString(), dtype, method, maxAbs, rel, tolerance, maxAbs <= tolerance);
    }

    /** A random direction of unit length in n dimensions (also {@link EpsSweep}'s). */
    static double[] unitDirection(SplittableRandom random, int n) {
        double[] u = new double[n];
        double norm = 0;
        for (int j = 0; j < n; j++) { u[j] = normal(random); norm += u[j] * u[j]; }
        norm = Math.sqrt(norm);
        for (int j = 0; j < n; j++) u[j] /= norm;
        return u;
    }

    /** A standard normal draw (Box–Muller). */
    static double normal(SplittableRandom random) {
        double u1 = random.nextDouble(Double.MIN_NORMAL, 1.0), u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static double round(double v, DType dtype) { return dtype == DType.FLOAT32 ? (float) v : v; }
}
