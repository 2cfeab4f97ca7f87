package io.github.knetj.io;

import io.github.knetj.autograd.check.EpsSweep;
import io.github.knetj.autograd.check.GradCheck;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Gradient-check results as CSV, every row, for a spreadsheet or {@code pandas.read_csv}: a {@link GradCheck.Report}
 * (one row per input or parameter) and an {@link EpsSweep.Result} (one row per dtype and step). Numbers are written
 * with Java's round-trip {@code Double.toString}, NaN as an empty cell; text cells are quoted when they need it
 * (RFC 4180). Files are written atomically.
 */
public final class CheckCsv {
    private CheckCsv() {}

    /** The header and one row per entry: name, shape, dtype, method, max_abs_error, max_rel_error, tolerance, pass, eps. */
    public static String of(GradCheck.Report r) {
        StringBuilder sb = new StringBuilder("name,shape,dtype,method,max_abs_error,max_rel_error,tolerance,pass,eps\n");
        for (GradCheck.Entry e : r.entries())
            sb.append(cell(e.name())).append(',').append(cell(e.shape())).append(',').append(e.dtype().name().toLowerCase(Locale.ROOT)).append(',')
                    .append(cell(e.method())).append(',').append(num(e.maxAbsError())).append(',').append(num(e.maxRelError())).append(',')
                    .append(num(e.tolerance())).append(',').append(e.pass()).append(',').append(num(r.eps())).append('\n');
        return sb.toString();
    }

    /** Every row of a check of several ops (op name → report, as {@code gradcheck --op all} runs them): the op, then the columns above. */
    public static String of(java.util.Map<String, GradCheck.Report> reports) {
        StringBuilder sb = new StringBuilder("op,");
        boolean header = true;
        for (var r : reports.entrySet()) {
            String[] lines = of(r.getValue()).split("\n");
            if (header) { sb.append(lines[0]).append('\n'); header = false; }
            for (int i = 1; i < lines.length; i++) sb.append(cell(r.getKey())).append(',').append(lines[i]).append('\n');
        }
        return header ? sb.append("name,shape,dtype,method,max_abs_error,max_rel_error,tolerance,pass,eps\n").toString() : sb.toString();
    }

    /** The header and one row per dtype and step: subject, backend, dtype, scale, eps, central_error, forward_error. */
    public static String of(EpsSweep.Result r) {
        StringBuilder sb = new StringBuilder("subject,backend,dtype,scale,eps,central_error,forward_error\n");
        for (EpsSweep.Series s : r.series())
            for (EpsSweep.Point p : s.points())
                sb.append(cell(r.subject())).append(',').append(cell(r.backend())).append(',').append(s.dtype().name().toLowerCase(Locale.ROOT)).append(',')
                        .append(num(s.scale())).append(',').append(num(p.eps())).append(',').append(num(p.central())).append(',')
                        .append(num(p.forward())).append('\n');
        return sb.toString();
    }

    /** Writes {@code csv} to {@code path}, atomically. */
    public static void write(Path path, String csv) throws IOException { AtomicFiles.write(path, csv.getBytes(StandardCharsets.UTF_8)); }

    private static String num(double v) { return Double.isNaN(v) ? "" : Double.toString(v); }

    /** A text cell, quoted (with inner quotes doubled) when it holds a comma, a quote or a line break. */
    static String cell(String s) {
        if (s == null) return "";
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
