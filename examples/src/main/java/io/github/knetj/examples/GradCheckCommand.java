package io.github.knetj.examples;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.autograd.check.EpsSweep;
import io.github.knetj.io.CheckCsv;
import io.github.knetj.autograd.check.GradCheckRunner;
import io.github.knetj.autograd.check.OpCatalog;
import io.github.knetj.autograd.Ops;
import io.github.knetj.io.AtomicFiles;
import io.github.knetj.layers.Conv;
import io.github.knetj.layers.Dense;
import io.github.knetj.layers.Init;
import io.github.knetj.layers.Layer;
import io.github.knetj.layers.LayerNorm;
import io.github.knetj.layers.Linear;
import io.github.knetj.layers.MLP;
import io.github.knetj.layers.Tanh;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code ./knetj gradcheck}: gradient checks and gradient experiments from the command line.
 * <ul>
 *   <li>{@code [--op NAME|all] [--backend NAME] [--dtype float64|float32] [--seed N] [--eps E]}: GradCheck on catalog
 *       ops, a table, a non-zero exit if any fails.</li>
 *   <li>{@code --eps-sweep (--op NAME | --layer NAME) [--plot FILE.png]}: the {@link EpsSweep} of one op or layer,
 *       a table and optionally a log-log plot of error against eps.</li>
 *   <li>{@code --compare-backends [--op NAME|all | --layer NAME]}: the same gradient on every available backend and
 *       the largest difference between any two.</li>
 * </ul>
 * The last stdout line is one JSON object.
 */
@Command(name = "gradcheck", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {"Check gradients against finite differences (every catalog op by default; exit 1 if any fails).",
                "--eps-sweep: the error against the step eps of one op or layer; --compare-backends: the same gradient on every backend."})
final class GradCheckCommand implements Callable<Integer> {
    /** The layers {@code --layer} knows, each built small enough to sweep in a second. */
    static final List<String> LAYERS = List.of("dense", "linear", "conv", "mlp", "layernorm");

    @Option(names = "--op", paramLabel = "NAME", description = "a catalog op, or all (default: all)") String op;
    @Option(names = "--layer", paramLabel = "NAME", description = "dense, linear, conv, mlp or layernorm (with --eps-sweep or --compare-backends)") String layer;
    @Option(names = "--backend", paramLabel = "NAME", description = "cpu, opencl, cuda, reference or auto (default: KNETJ_BACKEND, else auto)") String backend;
    @Option(names = "--dtype", paramLabel = "DTYPE", description = "float64 or float32 (default: float64)") String dtype;
    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "seed of the inputs") long seed;
    @Option(names = "--eps", paramLabel = "E", description = "the finite-difference step (default: by dtype)") Double eps;
    @Option(names = "--eps-sweep", description = "sweep eps from 1e-1 to 1e-12 for one --op or --layer") boolean epsSweep;
    @Option(names = "--plot", paramLabel = "FILE.png", description = "with --eps-sweep: a log-log plot of the error against eps") String plot;
    @Option(names = "--csv", paramLabel = "FILE.csv", description = "also write every row of the check (or of the --eps-sweep) as CSV") String csv;
    @Option(names = "--compare-backends", description = "the same gradient on every available backend, and their largest difference") boolean compareBackends;

    /** Runs a gradcheck command line in this process (tests): the exit code, with usage errors thrown as IllegalArgumentException. */
    static int run(String[] argv) throws IOException {
        GradCheckCommand c = new GradCheckCommand();
        try {
            new CommandLine(c).parseArgs(argv);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return c.call();
    }

    @Override public Integer call() throws IOException {
        if (epsSweep && compareBackends) throw new IllegalArgumentException("gradcheck: choose one of --eps-sweep and --compare-backends");
        if (plot != null && !epsSweep) throw new IllegalArgumentException("gradcheck: --plot draws an --eps-sweep; add --eps-sweep");
        if (op != null && layer != null) throw new IllegalArgumentException("gradcheck: give --op or --layer, not both");
        if (layer != null && !LAYERS.contains(layer.toLowerCase(Locale.ROOT)))
            throw new IllegalArgumentException("gradcheck: unknown layer '" + layer + "'" + Nearest.suggestion(layer, LAYERS) + " (known: " + String.join(", ", LAYERS) + ")");
        if (op != null && !op.equalsIgnoreCase("all") && !OpCatalog.names().contains(op))
            throw new IllegalArgumentException("gradcheck: unknown op '" + op + "'" + Nearest.suggestion(op, OpCatalog.names()) + " (known: all, " + String.join(", ", OpCatalog.names()) + ")");
        if (eps != null && !(eps > 0 && eps < 1)) throw new IllegalArgumentException("gradcheck: --eps " + eps + ": expected a step between 0 and 1");
        if (dtype != null) DType.parse(dtype);
        if (plot != null) Checked.output("--plot", plot);
        Path csvPath = csv == null ? null : Checked.output("--csv", csv);
        if (csvPath != null && compareBackends) throw new IllegalArgumentException("gradcheck: --csv writes a check or an --eps-sweep, not --compare-backends");
        if (compareBackends) return compareBackends();
        Backend b = backend != null ? Backends.get(backend) : Backends.get();
        Defaults.backend(b);
        if (epsSweep) return epsSweep(b, csvPath);
        if (layer != null) throw new IllegalArgumentException("gradcheck: --layer goes with --eps-sweep or --compare-backends");
        DType d = DType.parse(dtype == null ? "float64" : dtype);
        Defaults.dtype(d);
        GradCheckRunner.Result r = GradCheckRunner.run(op == null ? "all" : op, b, d, seed, eps == null ? Double.NaN : eps, System.out);
        boolean ok = r.failed() == 0 && r.checked() > 0;
        if (csvPath != null) CheckCsv.write(csvPath, CheckCsv.of(r.reports()));
        Json json = new Json().put("command", "gradcheck").put("status", ok ? "ok" : "failed").put("checked", r.checked()).put("failed", r.failed())
                .put("backend", b.name()).put("dtype", d.label());
        if (csvPath != null) json.put("csv", csvPath.toString());
        System.out.println(json);
        return ok ? Outcome.OK : Outcome.FAILED;
    }

    // ---- --eps-sweep ---------------------------------------------------------------------------------------------

    private int epsSweep(Backend b, Path csvPath) throws IOException {
        if (dtype != null) throw new IllegalArgumentException("gradcheck --eps-sweep runs float32 and float64 both; drop --dtype");
        if (eps != null) throw new IllegalArgumentException("gradcheck --eps-sweep sweeps eps from 1e-1 to 1e-12; drop --eps");
        EpsSweep.Result r;
        if (layer != null) r = layerSweep(layer, b, seed);
        else {
            if (op == null || op.equalsIgnoreCase("all"))
                throw new IllegalArgumentException("gradcheck --eps-sweep needs one op or layer: --op NAME (" + String.join(", ", OpCatalog.names())
                        + ") or --layer NAME (" + String.join(", ", LAYERS) + ")");
            r = EpsSweep.op(op, b, seed);
        }
        System.out.print(r.table());
        Json json = new Json().put("command", "gradcheck").put("status", "ok").put("mode", "eps-sweep").put("subject", r.subject()).put("backend", r.backend());
        Map<String, Object> best = new LinkedHashMap<>();
        for (EpsSweep.Series s : r.series()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("central_eps", s.best(true).eps());
            m.put("central_error", s.best(true).central());
            m.put("forward_eps", s.best(false).eps());
            m.put("forward_error", s.best(false).forward());
            best.put(s.dtype().label(), m);
        }
        json.put("best", best);
        if (csvPath != null) {
            CheckCsv.write(csvPath, CheckCsv.of(r));
            json.put("csv", csvPath.toString());
        }
        if (plot != null) {
            Path file = Path.of(plot);
            writePlot(r, file);
            System.out.println("plot written to " + file);
            json.put("plot", file.toString());
        }
        System.out.println(json);
        return Outcome.OK;
    }

    /** The sweep of a small layer: built in each dtype from the same seed, so both dtypes see the same numbers. */
    static EpsSweep.Result layerSweep(String name, Backend backend, long seed) {
        List<EpsSweep.Series> series = new ArrayList<>();
        String subject = null;
        DType saved = Defaults.dtype();
        try {
            for (DType d : List.of(DType.FLOAT32, DType.FLOAT64)) {
                Defaults.backend(backend);
                Defaults.dtype(d);
                Init.seed(seed);
                Layer layer = layer(name);
                Value x = new Value(input(name, backend, d, seed));
                subject = layer.toString().replace("\n", " ") + " on x" + x.shape();
                series.add(EpsSweep.series(() -> layer.apply(x), layer.params(), EpsSweep.DEFAULT_EPS, seed));
            }
        } finally {
            Defaults.dtype(saved);
        }
        return new EpsSweep.Result(subject, backend.name(), List.copyOf(series));
    }

    /** A small layer of this name, built on {@link Defaults}; activations are tanh, smooth, so finite differences meet no kinks. */
    static Layer layer(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "dense" -> new Dense(4, 3, new Tanh());
            case "linear" -> new Linear(4, 3);
            case "conv" -> new Conv(3, 3, 2, 3, new Tanh());
            case "mlp" -> new MLP(new Tanh(), 4, 5, 3);
            case "layernorm" -> new LayerNorm(4);
            default -> throw new IllegalArgumentException("gradcheck: unknown layer '" + name + "' (known: " + String.join(", ", LAYERS) + ")");
        };
    }

    /** A seeded input for the layer: (2, 4) rows, or (2, 2, 5, 5) images for conv. */
    private static Tensor input(String name, Backend backend, DType dtype, long seed) {
        Shape shape = name.equalsIgnoreCase("conv") ? Shape.of(2, 2, 5, 5) : Shape.of(2, 4);
        return backend.random().uniform(shape, dtype, -1, 1, seed);
    }

    /** A log-log plot of every series' central and forward errors against eps, written atomically as PNG. */
    static void writePlot(EpsSweep.Result r, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(600)
                .title("finite differences vs autograd: " + r.subject() + " on " + r.backend())
                .xAxisTitle("eps (step)").yAxisTitle("max |finite difference - autograd|").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("0E0");
        chart.getStyler().setYAxisDecimalPattern("0E0");
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
        chart.getStyler().setPlotGridLinesStroke(new java.awt.BasicStroke(0.5f));
        chart.getStyler().setPlotGridLinesColor(new java.awt.Color(225, 225, 225));
        for (EpsSweep.Series s : r.series()) {
            for (boolean central : new boolean[] {true, false}) {
                List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
                for (EpsSweep.Point p : s.points()) {
                    double e = central ? p.central() : p.forward();
                    // A log axis cannot show 0 (an exact difference) or NaN (a step out of the domain): leave them out.
                    if (e > 0 && Double.isFinite(e)) { xs.add(p.eps()); ys.add(e); }
                }
                if (xs.isEmpty()) continue;
                XYSeries series = chart.addSeries(s.dtype() + (central ? " central" : " forward"), xs, ys);
                series.setMarker(central ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
            }
        }
        guides(chart, r.series().get(r.series().size() - 1));
        java.awt.image.BufferedImage image = BitmapEncoder.getBufferedImage(chart);
        AtomicFiles.write(file, out -> ImageIO.write(image, "png", out));
    }

    /**
     * Dashed guides through the central-difference curve of one series (float64): slope 2 from its largest step (the
     * truncation error ε²·f'''/6) and slope −1 from its smallest (the round-off u·|f|/ε), so the reader can see which
     * error each side of the V is.
     */
    private static void guides(XYChart chart, EpsSweep.Series s) {
        List<EpsSweep.Point> pts = s.points();
        EpsSweep.Point big = pts.get(0), small = pts.get(pts.size() - 1), best = s.best(true);
        if (!(big.central() > 0 && small.central() > 0)) return;
        List<Double> tx = new ArrayList<>(), ty = new ArrayList<>(), rx = new ArrayList<>(), ry = new ArrayList<>();
        for (EpsSweep.Point p : pts) {
            if (p.eps() >= best.eps()) { tx.add(p.eps()); ty.add(big.central() * Math.pow(p.eps() / big.eps(), 2)); }
            if (p.eps() <= best.eps()) { rx.add(p.eps()); ry.add(small.central() * small.eps() / p.eps()); }
        }
        for (XYSeries g : List.of(chart.addSeries("slope 2: truncation", tx, ty), chart.addSeries("slope -1: round-off", rx, ry))) {
            g.setMarker(SeriesMarkers.NONE);
            g.setLineStyle(new java.awt.BasicStroke(1.2f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            g.setLineColor(java.awt.Color.GRAY);
        }
    }

    // ---- --compare-backends --------------------------------------------------------------------------------------

    private int compareBackends() {
        DType dtype = DType.parse(this.dtype == null ? "float64" : this.dtype);
        List<Backend> backends = backend != null ? List.of(Backends.get(backend)) : Backends.available();
        boolean isLayer = layer != null;
        List<String> subjects = isLayer ? List.of(layer) : op == null || op.equalsIgnoreCase("all") ? OpCatalog.names() : List.of(op);
        List<String> names = backends.stream().map(Backend::name).toList();
        System.out.printf(Locale.ROOT, "the same %s gradient on %s; largest |difference| between any two backends%n", dtype, names);
        String format = "%-18s %13s  %s%n";
        System.out.printf(Locale.ROOT, format, isLayer ? "layer" : "op", "max |diff|", "between");
        double worst = 0;
        String worstSubject = "", worstPair = "";
        List<Object> rows = new ArrayList<>();
        for (String subject : subjects) {
            Comparison c = compare(subject, isLayer, backends, dtype, seed);
            System.out.printf(Locale.ROOT, format, subject, String.format(Locale.ROOT, "%.3e", c.maxDiff()), c.pair());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("subject", subject);
            row.put("max_difference", c.maxDiff());
            row.put("between", c.pair());
            rows.add(row);
            if (c.maxDiff() > worst || worstSubject.isEmpty()) { worst = c.maxDiff(); worstSubject = subject; worstPair = c.pair(); }
        }
        System.out.printf(Locale.ROOT, "largest difference: %.3e (%s, %s)%n", worst, worstSubject, worstPair);
        System.out.println(new Json().put("command", "gradcheck").put("status", "ok").put("mode", "compare-backends").put("dtype", dtype.label())
                .put("backends", names).put("max_difference", worst).put("subject", worstSubject).put("between", worstPair)
                .put("rows", rows));
        return Outcome.OK;
    }

    /**
     * The largest difference between the gradients two backends compute for one subject.
     *
     * @param maxDiff the largest |difference| of any gradient element between any two backends
     * @param pair    the two backends it was found between ("cpu/opencl"), or "-" with fewer than two backends
     */
    record Comparison(double maxDiff, String pair) {}

    /** The gradient of one catalog op's case (or one layer's parameters) on every backend, compared pairwise. */
    static Comparison compare(String subject, boolean isLayer, List<Backend> backends, DType dtype, long seed) {
        List<double[]> grads = new ArrayList<>();
        for (Backend b : backends) grads.add(isLayer ? layerGradient(subject, b, dtype, seed) : opGradient(subject, b, dtype, seed));
        double max = 0;
        String pair = "-";
        for (int i = 0; i < grads.size(); i++) {
            for (int j = i + 1; j < grads.size(); j++) {
                double d = 0;
                for (int k = 0; k < grads.get(i).length; k++) d = Math.max(d, Math.abs(grads.get(i)[k] - grads.get(j)[k]));
                if (d > max || pair.equals("-")) { max = d; pair = backends.get(i).name() + "/" + backends.get(j).name(); }
            }
        }
        return new Comparison(max, pair);
    }

    /** Every input's gradient of Σ v ⊙ op(inputs), flattened, for the case gradcheck draws with this seed. */
    private static double[] opGradient(String op, Backend backend, DType dtype, long seed) {
        long opSeed = GradCheckRunner.seedFor(seed, op);
        OpCatalog.Case c = OpCatalog.entry(op).sample(new SplittableRandom(opSeed));
        List<Param> ps = new ArrayList<>();
        for (Tensor t : c.tensors(backend, dtype)) ps.add(new Param(t));
        List<Value> args = List.copyOf(ps);
        return gradient(() -> c.apply(args), ps, opSeed);
    }

    /** Every parameter's gradient of Σ v ⊙ layer(x), flattened. */
    private static double[] layerGradient(String name, Backend backend, DType dtype, long seed) {
        DType saved = Defaults.dtype();
        try {
            Defaults.backend(backend);
            Defaults.dtype(dtype);
            Init.seed(seed);
            Layer layer = layer(name);
            Value x = new Value(input(name, backend, dtype, seed));
            return gradient(() -> layer.apply(x), layer.params(), seed);
        } finally {
            Defaults.dtype(saved);
        }
    }

    private static double[] gradient(java.util.function.Supplier<Value> f, List<Param> params, long seed) {
        AutoGrad.Tape tape = AutoGrad.diff(() -> {
            Value y = f.get();
            if (y.shape().size() == 1) return y;
            // The same seeded weights on every backend, so every backend differentiates the same scalar.
            Tensor v = y.backend().random().normal(y.shape(), y.dtype(), 0, 1, seed);
            return Ops.sum(Ops.mul(y, new Value(v)));
        });
        List<Double> out = new ArrayList<>();
        for (Param p : params) {
            Value g = tape.grad(p);
            double[] gv = g == null ? new double[p.shape().sizeInt()] : g.data().toDoubleArray();
            for (double d : gv) out.add(d);
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
