package io.github.knetj.autograd.check;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A gradient checker: compares the gradients autograd computes with central finite differences, and reports the
 * largest absolute and relative error of every input or parameter.
 * <p>
 * A non-scalar result y is first reduced to the scalar s = Σ v ⊙ y with a fixed random v, so what is checked is the
 * vector–Jacobian product vᵀJ that backward computes. For an input of at most {@link Options#maxJacobian} elements
 * every element is perturbed (the full Jacobian row, method "jacobian"); for a larger one the directional derivative
 * (s(x+εu) − s(x−εu))/2ε along a few random unit directions u is compared with ⟨∇s, u⟩ (method "projection").
 * <p>
 * The function form converts its inputs to {@link Options#dtype} (float64 unless asked) on {@link Options#backend}
 * (the inputs' own backend unless asked). The parameter form checks parameters in their own dtype. Defaults by dtype:
 * <ul>
 *   <li>float64: ε = 1e-6, pass when max|error| ≤ 1e-6 + 1e-5·scale;</li>
 *   <li>float32: ε = 1e-2 (float32 round-off divided by a small ε would swamp the difference), pass when
 *       max|error| ≤ 1e-2 + 2e-2·scale;</li>
 * </ul>
 * where scale is the largest magnitude of the analytic and numeric gradients of that input, and the relative error
 * reported is max|error| / scale.
 * <pre>{@code
 * GradCheck.Report r = GradCheck.check(xs -> Ops.sum(Ops.tanh(xs.get(0))), List.of(x));
 * System.out.println(r);          // one row per input
 * GradCheck.options().eps(1e-5).seed(7).check(loss, model.params());
 * }</pre>
 */
public final class GradCheck {
    private GradCheck() {}

    /** Checks f at the inputs with the default options (float64, the inputs' backend). */
    public static Report check(Function<List<Value>, Value> f, List<Tensor> inputs) { return options().check(f, inputs); }

    /** Checks every parameter of a loss (the form layers use) with the default options. */
    public static Report check(Supplier<Value> loss, List<Param> params) { return options().check(loss, params); }

    /** The default options, to adjust with the withers and then {@code check}. */
    public static Options options() { return new Options(DType.FLOAT64, null, Double.NaN, Double.NaN, Double.NaN, 1234, 64, 3); }

    /**
     * How a check runs: immutable, each wither returns a copy. NaN eps/atol/rtol mean "the default for the dtype".
     *
     * @param dtype       the dtype the function form converts its inputs to
     * @param backend     the backend the function form moves its inputs to; null keeps each input's backend
     * @param eps         the finite-difference step
     * @param atol        absolute tolerance
     * @param rtol        tolerance relative to the largest gradient magnitude of the input
     * @param seed        the seed of the random reduction vector and projection directions
     * @param maxJacobian the largest input checked element by element; larger ones use projections
     * @param directions  random directions per input in projection mode
     */
    public record Options(DType dtype, Backend backend, double eps, double atol, double rtol, long seed, int maxJacobian, int directions) {
        public Options {
            if (dtype == null) throw new IllegalArgumentException("GradCheck: dtype must not be null");
            if (!(Double.isNaN(eps) || eps > 0)) throw new IllegalArgumentException("GradCheck: eps must be positive, got " + eps);
            if (maxJacobian < 0 || directions < 1)
                throw new IllegalArgumentException("GradCheck: maxJacobian must be >= 0 and directions >= 1, got " + maxJacobian + " and " + directions);
        }

        // Withers: each returns a copy with one option changed.
        public Options dtype(DType d) { return new Options(d, backend, eps, atol, rtol, seed, maxJacobian, directions); }
        public Options backend(Backend b) { return new Options(dtype, b, eps, atol, rtol, seed, maxJacobian, directions); }
        public Options eps(double e) { return new Options(dtype, backend, e, atol, rtol, seed, maxJacobian, directions); }
        public Options tolerances(double abs, double rel) { return new Options(dtype, backend, eps, abs, rel, seed, maxJacobian, directions); }
        public Options seed(long s) { return new Options(dtype, backend, eps, atol, rtol, s, maxJacobian, directions); }
        public Options maxJacobian(int n) { return new Options(dtype, backend, eps, atol, rtol, seed, n, directions); }
        public Options directions(int n) { return new Options(dtype, backend, eps, atol, rtol, seed, maxJacobian, n); }

        /** The step used for inputs of dtype d. */
        public double epsFor(DType d) { return !Double.isNaN(eps) ? eps : d == DType.FLOAT64 ? 1e-6 : 1e-2; }
        /** The absolute tolerance used for inputs of dtype d. */
        public double atolFor(DType d) { return !Double.isNaN(atol) ? atol : d == DType.FLOAT64 ? 1e-6 : 1e-2; }
        /** The relative tolerance used for inputs of dtype d. */
        public double rtolFor(DType d) { return !Double.isNaN(rtol) ? rtol : d == DType.FLOAT64 ? 1e-5 : 2e-2; }

        /** Checks f at the inputs, named x0, x1, .... */
        public Report check(Function<List<Value>, Value> f, List<Tensor> inputs) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) names.add("x" + i);
            return check(f, names, inputs);
        }

        /** Checks f at the named inputs, after converting them to this dtype (and backend, when one is set). */
        public Report check(Function<List<Value>, Value> f, List<String> names, List<Tensor> inputs) {
            if (names.size() != inputs.size())
                throw new IllegalArgumentException("GradCheck: " + names.size() + " names for " + inputs.size() + " inputs");
            List<Param> ps = new ArrayList<>();
            for (Tensor t : inputs) ps.add(new Param((backend == null ? t : t.to(backend)).to(dtype)));
            List<Value> args = List.copyOf(ps);
            return run(() -> f.apply(args), names, ps);
        }

        /** Checks every parameter of the loss, named param0, param1, ...; their data is restored afterwards. */
        public Report check(Supplier<Value> loss, List<Param> params) {
            Map<String, Param> named = new LinkedHashMap<>();
            for (int i = 0; i < params.size(); i++) named.put("param" + i, params.get(i));
            return check(loss, named);
        }

        /** Checks every named parameter of the loss (names as {@code Params.named} gives them); data is restored afterwards. */
        public Report check(Supplier<Value> loss, Map<String, Param> params) {
            return run(loss, new ArrayList<>(params.keySet()), new ArrayList<>(params.values()));
        }

        private Report run(Supplier<Value> f, List<String> names, List<Param> params) {
            return new FiniteDifferences(this, f, new SplittableRandom(seed)).run(names, params);
        }
    }

    /**
     * One row of a report.
     *
     * @param name        the input's or parameter's name
     * @param shape       its shape, as text
     * @param dtype       the dtype it was checked in
     * @param method      "jacobian" (every element perturbed) or "projection" (random directions)
     * @param maxAbsError the largest |analytic − numeric|
     * @param maxRelError maxAbsError over the largest gradient magnitude (0 when both gradients are zero)
     * @param tolerance   the bound maxAbsError had to stay under: atol + rtol·scale
     * @param pass        whether it did
     */
    public record Entry(String name, String shape, DType dtype, String method, double maxAbsError, double maxRelError,
                        double tolerance, boolean pass) {}

    /**
     * The outcome of a check: one {@link Entry} per input or parameter, and the step used.
     *
     * @param entries one per input, in order
     * @param eps     the finite-difference step of the first input's dtype
     */
    public record Report(List<Entry> entries, double eps) {
        /** Whether every entry passed. */
        public boolean passed() { return entries.stream().allMatch(Entry::pass); }

        /** The entries that failed. */
        public List<Entry> failures() { return entries.stream().filter(e -> !e.pass()).toList(); }

        /** The largest absolute error of any entry. */
        public double maxAbsError() { return entries.stream().mapToDouble(Entry::maxAbsError).max().orElse(0); }

        /** A table with one row per input: name, shape, method, errors, tolerance and pass or FAIL. */
        @Override public String toString() {
            StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT, "%-14s %-16s %-8s %-10s %11s %11s %11s  %s%n",
                    "input", "shape", "dtype", "method", "max abs err", "max rel err", "tolerance", "pass"));
            for (Entry e : entries)
                sb.append(String.format(java.util.Locale.ROOT, "%-14s %-16s %-8s %-10s %11.3e %11.3e %11.3e  %s%n",
                        e.name(), e.shape(), e.dtype(), e.method(), e.maxAbsError(), e.maxRelError(), e.tolerance(), e.pass() ? "ok" : "FAIL"));
            return sb.toString();
        }
    }
}
