package io.github.knetj.autograd.check;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.autograd.check.GradCheck.Entry;
import io.github.knetj.autograd.check.GradCheck.Report;
import io.github.knetj.autograd.check.OpCatalog.Case;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The runner behind {@code knetj gradcheck --op NAME|all --backend B --dtype D --seed S}: it checks {@link OpCatalog}
 * entries with {@link GradCheck} and prints a table, one row per input of each op. Each op draws its case from a random
 * source seeded by the run seed and the op's name, so one op run alone reproduces its row of an {@code all} run.
 */
public final class GradCheckRunner {
    private GradCheckRunner() {}

    /**
     * The outcome of a run: how many ops were checked and which failed.
     *
     * @param checked   how many ops were checked
     * @param failed    how many of them failed (an error, or an input over tolerance)
     * @param failedOps the names of the failed ops, with the case that failed
     * @param reports   the report of every op that ran to the end, by op name in catalog order (for a CSV of every row)
     */
    public record Result(int checked, int failed, List<String> failedOps, java.util.Map<String, Report> reports) {
        /** Whether every op passed. */
        public boolean passed() { return failed == 0; }
    }

    /** Checks one op ({@code "all"}: every op) on a backend in a dtype with the default step of that dtype. */
    public static Result run(String op, Backend backend, DType dtype, long seed, PrintStream out) {
        return run(op, backend, dtype, seed, Double.NaN, out);
    }

    /** As {@link #run(String, Backend, DType, long, PrintStream)} with the finite-difference step eps (NaN: the dtype's default). */
    public static Result run(String op, Backend backend, DType dtype, long seed, double eps, PrintStream out) {
        List<OpCatalog.Entry> entries = op.equalsIgnoreCase("all") ? OpCatalog.entries() : List.of(OpCatalog.entry(op));
        GradCheck.Options base = GradCheck.options().dtype(dtype).backend(backend).eps(eps);
        out.printf(Locale.ROOT, "gradcheck on %s (%s), %s, seed %d, eps %.1e, tolerance %.0e abs + %.0e rel%n",
                backend.name(), backend.device(), dtype, seed, base.epsFor(dtype), base.atolFor(dtype), base.rtolFor(dtype));
        String format = "%-18s %-8s %-14s %-10s %11s %11s  %s%n";
        out.printf(Locale.ROOT, format, "op", "input", "shape", "method", "max abs err", "max rel err", "pass");
        List<String> failed = new ArrayList<>();
        java.util.Map<String, Report> reports = new java.util.LinkedHashMap<>();
        for (OpCatalog.Entry e : entries) {
            long opSeed = seedFor(seed, e.name());
            Case c = null;
            try {
                c = e.sample(new SplittableRandom(opSeed));
                Report report = c.check(base.seed(opSeed), backend);
                reports.put(e.name(), report);
                for (Entry row : report.entries())
                    out.printf(Locale.ROOT, format, e.name(), row.name(), row.shape(), row.method(),
                            String.format(Locale.ROOT, "%.3e", row.maxAbsError()), String.format(Locale.ROOT, "%.3e", row.maxRelError()),
                            row.pass() ? "ok" : "FAIL");
                if (!report.passed()) failed.add(c.toString());
            } catch (RuntimeException ex) {
                out.printf(Locale.ROOT, "%-18s ERROR %s%n", e.name(), ex);
                failed.add((c == null ? e.name() : c.toString()) + ": " + ex);
            }
        }
        out.printf(Locale.ROOT, "checked %d ops, %d failed%s%n", entries.size(), failed.size(),
                failed.isEmpty() ? "" : ": " + String.join("; ", failed));
        return new Result(entries.size(), failed.size(), List.copyOf(failed), java.util.Collections.unmodifiableMap(reports));
    }

    /** The seed of one op's case: the run seed mixed with the op's name. */
    public static long seedFor(long seed, String op) { return seed * 0x9E3779B97F4A7C15L + op.hashCode(); }
}
