package io.github.knetj.autograd.check;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.AutoGrad;
import io.github.knetj.autograd.Ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * An eps-sweep experiment: how far finite differences land from the autograd gradient as the step ε shrinks from
 * 1e-1 to 1e-12, for central differences (f(x+εu) − f(x−εu))/2ε and one-sided (forward) differences
 * (f(x+εu) − f(x))/ε, in float32 and float64.
 * <p>
 * Two errors pull against each other. Truncation error (the Taylor terms the formula drops) falls as ε² for central
 * and as ε for forward differences; round-off error (f computed with relative precision u, then divided by ε) rises
 * as u·|f|/ε, with u ≈ 6e-8 in float32 and 1e-16 in float64. The total is a V on a log-log plot whose bottom is the
 * best step: about u^(1/3) for central and u^(1/2) for forward differences. That is why {@link GradCheck} uses 1e-6
 * in float64 and 1e-2 in float32.
 * <p>
 * A result with several outputs y is reduced to the scalar s = Σ v ⊙ y with fixed random weights v (as
 * {@link GradCheck} does), and the derivative is taken along a few random unit directions u in the space of all
 * inputs together; the error reported for each ε is the largest |numeric − ⟨∇s, u⟩| over the directions, with the
 * analytic gradient computed by autograd in the same dtype. Steps are taken as written (x + εu rounded to the dtype),
 * so a step too small to change a float32 number shows up as the round-off it is.
 * <pre>{@code
 * EpsSweep.Result r = EpsSweep.op("tanh", Backends.get(), 1);
 * System.out.print(r.table());
 * }</pre>
 */
public final class EpsSweep {
    /** The steps swept by default: 1e-1, 1e-2, ..., 1e-12. */
    public static final List<Double> DEFAULT_EPS = defaultEps();

    /** Random directions per step; the error reported is the largest over them. */
    public static final int DIRECTIONS = 3;

    private EpsSweep() {}

    /**
     * The errors at one step.
     *
     * @param eps     the step ε
     * @param central the largest |central difference − autograd| over the directions (NaN when a value was not finite)
     * @param forward the same for the one-sided forward difference
     */
    public record Point(double eps, double central, double forward) {}

    /**
     * The sweep in one dtype.
     *
     * @param dtype  the dtype the function was evaluated in
     * @param scale  the largest |⟨∇s, u⟩| over the directions: the size of the derivative the errors are measured against
     * @param points one per step, largest step first
     */
    public record Series(DType dtype, double scale, List<Point> points) {
        /** The point with the smallest central (true) or forward (false) error; NaN errors never win. */
        public Point best(boolean central) {
            Point best = null;
            for (Point p : points) {
                double e = central ? p.central() : p.forward();
                if (Double.isNaN(e)) continue;
                if (best == null || e < (central ? best.central() : best.forward())) best = p;
            }
            if (best == null) throw new IllegalStateException("EpsSweep: every error in " + dtype + " is NaN");
            return best;
        }
    }

    /**
     * The outcome of a sweep.
     *
     * @param subject what was swept ("tanh(x[3, 4])", "Dense(4 => 3, relu)")
     * @param backend the backend's name
     * @param series  one per dtype, in the order swept
     */
    public record Result(String subject, String backend, List<Series> series) {
        /** The series of this dtype, or an error naming the dtypes there are. */
        public Series series(DType dtype) {
            for (Series s : series) if (s.dtype() == dtype) return s;
            throw new IllegalArgumentException("EpsSweep: no " + dtype + " series in this result (have " + series.stream().map(Series::dtype).toList() + ")");
        }

        /** A table with one row per step and the errors of both methods in every dtype, then the best step of each. */
        public String table() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "eps sweep of %s on %s: max |finite difference - autograd| along %d random directions%n",
                    subject, backend, DIRECTIONS));
            sb.append(String.format(Locale.ROOT, "%-8s", "eps"));
            for (Series s : series) sb.append(String.format(Locale.ROOT, " %13s %13s", s.dtype() + " central", s.dtype() + " forward"));
            sb.append('\n');
            List<Point> first = series.get(0).points();
            for (int i = 0; i < first.size(); i++) {
                sb.append(String.format(Locale.ROOT, "%-8.0e", first.get(i).eps()));
                for (Series s : series) {
                    Point p = s.points().get(i);
                    sb.append(String.format(Locale.ROOT, " %13.3e %13.3e", p.central(), p.forward()));
                }
                sb.append('\n');
            }
            for (Series s : series)
                sb.append(String.format(Locale.ROOT, "%s: |derivative| %.3e; best central eps %.0e (error %.1e), best forward eps %.0e (error %.1e)%n",
                        s.dtype(), s.scale(), s.best(true).eps(), s.best(true).central(), s.best(false).eps(), s.best(false).forward()));
            return sb.toString();
        }

        /** The table, so that JShell and println show the sweep readably. */
        @Override public String toString() { return table(); }
    }

    /**
     * Sweeps the catalog op of this name on a backend in float32 and float64, on the same case that
     * {@code knetj gradcheck --op NAME --seed SEED} checks.
     */
    public static Result op(String name, Backend backend, long seed) {
        long opSeed = GradCheckRunner.seedFor(seed, name);
        OpCatalog.Case c = OpCatalog.entry(name).sample(new SplittableRandom(opSeed));
        return of(c, backend, opSeed, DEFAULT_EPS);
    }

    /** Sweeps one case of a catalog op over the steps, in float32 then float64. */
    public static Result of(OpCatalog.Case c, Backend backend, long seed, List<Double> eps) {
        List<Series> series = new ArrayList<>();
        for (DType d : List.of(DType.FLOAT32, DType.FLOAT64)) {
            List<Param> ps = new ArrayList<>();
            for (Tensor t : c.tensors(backend, d)) ps.add(new Param(t));
            List<Value> args = List.copyOf(ps);
            series.add(series(() -> c.apply(args), ps, eps, seed));
        }
        return new Result(c.toString(), backend.name(), List.copyOf(series));
    }

    /**
     * Sweeps a function of parameters (a layer's loss, say) in the parameters' dtype; their data is restored
     * afterwards. The directions and reduction weights depend only on the seed and the shapes, so two calls with
     * parameters of different dtypes but the same values measure the same derivative.
     */
    public static Series series(Supplier<Value> f, List<Param> params, List<Double> eps, long seed) {
        if (params.isEmpty()) throw new IllegalArgumentException("EpsSweep: no parameters to perturb");
        DType dtype = params.get(0).dtype();
        for (Param p : params)
            if (p.dtype() != dtype) throw new IllegalArgumentException("EpsSweep: parameters mix " + dtype + " and " + p.dtype());
        List<Tensor> saved = new ArrayList<>();
        for (Param p : params) saved.add(p.data());
        try {
            return new Run(f, params, new SplittableRandom(seed)).sweep(dtype, eps);
        } finally {
            for (int i = 0; i < params.size(); i++) params.get(i).set(saved.get(i));
        }
    }

    /** One sweep: the analytic gradient once, then two or three evaluations per step and direction. */
    private static final class Run {
        private final Supplier<Value> f;
        private final List<Param> params;
        private final SplittableRandom random;
        private final List<double[]> base = new ArrayList<>();
        private double[] weights;

        Run(Supplier<Value> f, List<Param> params, SplittableRandom random) {
            this.f = f;
            this.params = params;
            this.random = random;
            for (Param p : params) base.add(p.data().toDoubleArray());
        }

        Series sweep(DType dtype, List<Double> eps) {
            Tape tape = AutoGrad.diff(() -> reduce(f.get()));
            List<double[]> directions = new ArrayList<>();
            double[] analytic = new double[DIRECTIONS];
            double scale = 0;
            for (int d = 0; d < DIRECTIONS; d++) {
                double[] u = unitDirection();
                directions.add(u);
                analytic[d] = dot(tape, u);
                scale = Math.max(scale, Math.abs(analytic[d]));
            }
            double s0 = eval(null, 0);
            List<Point> points = new ArrayList<>();
            for (double e : eps) {
                if (!(e > 0)) throw new IllegalArgumentException("EpsSweep: steps must be positive, got " + e);
                double central = 0, forward = 0;
                for (int d = 0; d < DIRECTIONS; d++) {
                    double sp = eval(directions.get(d), e), sm = eval(directions.get(d), -e);
                    central = worst(central, Math.abs((sp - sm) / (2 * e) - analytic[d]));
                    forward = worst(forward, Math.abs((sp - s0) / e - analytic[d]));
                }
                points.add(new Point(e, central, forward));
            }
            return new Series(dtype, scale, List.copyOf(points));
        }

        /** The larger error, NaN (a step that left the function's domain) winning over any number. */
        private static double worst(double a, double b) { return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b); }

        /** ⟨∇s, u⟩ with u split into one piece per parameter. */
        private double dot(Tape tape, double[] u) {
            double sum = 0;
            int offset = 0;
            for (Param p : params) {
                Value g = tape.grad(p);
                int n = p.shape().sizeInt();
                if (g != null) {
                    double[] gv = g.data().toDoubleArray();
                    for (int j = 0; j < n; j++) sum += gv[j] * u[offset + j];
                }
                offset += n;
            }
            return sum;
        }

        /** s at base + step·u (u null: at base), not recorded. */
        private double eval(double[] u, double step) {
            int offset = 0;
            for (int i = 0; i < params.size(); i++) {
                Param p = params.get(i);
                double[] x = base.get(i).clone();
                if (u != null) for (int j = 0; j < x.length; j++) x[j] += step * u[offset + j];
                offset += x.length;
                p.set(p.backend().memory().fromArray(x, p.shape(), p.dtype()));
            }
            return reduce(f.get()).item();
        }

        /** y itself when it has one element, else Σ weights ⊙ y with weights drawn once. */
        private Value reduce(Value y) {
            if (y.shape().size() == 1) return y;
            if (weights == null) {
                weights = new double[y.shape().sizeInt()];
                for (int i = 0; i < weights.length; i++) weights[i] = FiniteDifferences.normal(random);
            }
            if (weights.length != y.shape().size())
                throw new IllegalStateException("EpsSweep: the function returned shape " + y.shape() + " after " + weights.length + " elements; it must be deterministic");
            Value v = new Value(y.backend().memory().fromArray(weights, y.shape(), y.dtype()));
            return Ops.sum(Ops.mul(y, v));
        }

        /** A random direction of unit length over every parameter's elements together. */
        private double[] unitDirection() {
            int n = 0;
            for (double[] b : base) n += b.length;
            return FiniteDifferences.unitDirection(random, n);
        }
    }

    private static List<Double> defaultEps() {
        List<Double> eps = new ArrayList<>();
        for (int k = 1; k <= 12; k++) eps.add(Double.parseDouble("1e-" + k));
        return List.copyOf(eps);
    }
}
