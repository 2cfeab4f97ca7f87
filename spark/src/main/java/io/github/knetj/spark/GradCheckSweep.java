package io.github.knetj.spark;

import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;
import io.github.knetj.autograd.check.EpsSweep;
import io.github.knetj.autograd.check.GradCheckRunner;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Gradient-check experiments at scale: every catalog op's {@link GradCheckRunner} check, or its {@link EpsSweep},
 * as one Spark task, gathered on the driver in op order. The per-op work is the same code as
 * {@code knetj gradcheck}; only where it runs changes.
 */
public final class GradCheckSweep {
    private GradCheckSweep() {}

    /** One op's result: a check (checked/failed) or a sweep (best central eps and error per dtype), plus its text. */
    public record Row(String op, int checked, int failed, double f32Eps, double f32Error, double f64Eps, double f64Error, String text)
            implements Serializable {}

    /** Checks (sweep false) or sweeps (true) each op in {@code ops} as a Spark task. */
    public static List<Row> run(JavaSparkContext sc, List<String> ops, boolean sweep, String backend, String dtype, long seed) {
        return sc.parallelize(ops, Math.max(1, Math.min(ops.size(), sc.defaultParallelism() * 4)))
                .map(op -> row(op, sweep, backend, dtype, seed)).collect();
    }

    /** One op in this process: what a task runs. */
    public static Row row(String op, boolean sweep, String backend, String dtype, long seed) {
        var b = Backends.get(backend);
        if (sweep) {
            EpsSweep.Result r = EpsSweep.op(op, b, seed);
            EpsSweep.Series f32 = r.series(DType.FLOAT32), f64 = r.series(DType.FLOAT64);
            return new Row(op, 0, 0, f32.best(true).eps(), f32.best(true).central(), f64.best(true).eps(), f64.best(true).central(), r.table());
        }
        DType d = DType.parse(dtype);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        GradCheckRunner.Result r;
        try (PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8)) {
            r = GradCheckRunner.run(op, b, d, seed, out);
        }
        return new Row(op, r.checked(), r.failed(), Double.NaN, Double.NaN, Double.NaN, Double.NaN, text.toString(StandardCharsets.UTF_8));
    }

    /** One merged table: a line per op. */
    public static String table(List<Row> rows, boolean sweep) {
        StringBuilder sb = new StringBuilder();
        if (sweep) {
            sb.append(String.format(Locale.ROOT, "%-16s %14s %14s %14s %14s%n", "op", "f32 best eps", "f32 error", "f64 best eps", "f64 error"));
            for (Row r : rows)
                sb.append(String.format(Locale.ROOT, "%-16s %14.0e %14.2e %14.0e %14.2e%n", r.op(), r.f32Eps(), r.f32Error(), r.f64Eps(), r.f64Error()));
        } else {
            sb.append(String.format(Locale.ROOT, "%-16s %8s %8s%n", "op", "checked", "failed"));
            for (Row r : rows) sb.append(String.format(Locale.ROOT, "%-16s %8d %8d%n", r.op(), r.checked(), r.failed()));
        }
        return sb.toString();
    }
}
