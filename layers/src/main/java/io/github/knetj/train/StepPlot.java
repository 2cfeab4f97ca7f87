package io.github.knetj.train;

import io.github.knetj.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Per-step training curves as one PNG, drawn with XChart: on the left the loss of every step (pale) with its moving
 * average (dark) and, when there is a test set, the test loss after each epoch (dots at the epoch's last step); on the
 * right the same for accuracy. The x axis counts steps. It needs no display (XChart draws off screen; a JVM without
 * one is headless anyway), so it leaves {@code java.awt.headless} alone and {@link LiveCurves} can still open a
 * window in the same run. The file is written atomically.
 * <p>
 * The points come from a {@link Recorder} ({@code StepPlot.Recorder rec = new StepPlot.Recorder().attach(trainer);}
 * then {@code rec.save(png, title)} after fit), from a {@link MetricsLog} ({@code log.steps()}, {@code log.epochs()}),
 * or from any step callback.
 */
public final class StepPlot {
    private static final int WIDTH = 640, HEIGHT = 420;
    private static final Color RAW = new Color(150, 180, 230), SMOOTH = new Color(20, 70, 160), TEST = new Color(210, 90, 20);

    private StepPlot() {}

    /**
     * One step's measurements.
     *
     * @param step     1-based step count since training began
     * @param epoch    1-based epoch the step belongs to
     * @param loss     the batch's loss
     * @param accuracy the batch's accuracy
     */
    public record Point(long step, int epoch, double loss, double accuracy) {}

    /** Collects a training run's steps and epochs for a plot. */
    public static final class Recorder {
        private final List<Point> steps = new java.util.ArrayList<>();
        private final List<EpochStats> epochs = new java.util.ArrayList<>();

        /** Registers on trainer's step and epoch callbacks. */
        public Recorder attach(Trainer trainer) {
            trainer.onStep(s -> steps.add(new Point(s.step(), s.epoch(), s.loss(), s.accuracy()))).onEpoch(epochs::add);
            return this;
        }

        /** The steps recorded so far. */
        public List<Point> steps() { return List.copyOf(steps); }

        /** The epochs recorded so far. */
        public List<EpochStats> epochs() { return List.copyOf(epochs); }

        /** Draws what was recorded to {@code png}; see {@link StepPlot#save}. */
        public void save(Path png, String title) throws IOException { StepPlot.save(steps, epochs, png, title); }
    }

    /** Writes the curves of {@code steps} (and the test measures of {@code epochs}, which may be empty) to {@code png}. */
    public static void save(List<Point> steps, List<EpochStats> epochs, Path png, String title) throws IOException {
        if (steps.isEmpty()) throw new IllegalArgumentException("StepPlot: no steps to draw");
        double[] x = new double[steps.size()], loss = new double[steps.size()], acc = new double[steps.size()];
        for (int i = 0; i < x.length; i++) {
            Point p = steps.get(i);
            x[i] = p.step();
            loss[i] = p.loss();
            acc[i] = p.accuracy();
        }
        // A window of about 2% of the run (at least 1 step) smooths batch noise without hiding the trend.
        int window = Math.max(1, x.length / 50);
        XYChart l = chart(title + " — loss", "loss", Styler.LegendPosition.InsideNE);
        XYChart a = chart(title + " — accuracy", "accuracy", Styler.LegendPosition.InsideSE);
        line(l, "train loss (step)", x, loss, RAW, 1f);
        line(a, "train accuracy (step)", x, acc, RAW, 1f);
        if (window > 1) {
            line(l, "moving average of " + window, x, movingAverage(loss, window), SMOOTH, 2f);
            line(a, "moving average of " + window, x, movingAverage(acc, window), SMOOTH, 2f);
        }
        List<EpochStats> tested = epochs.stream().filter(e -> !Double.isNaN(e.testAccuracy())).toList();
        if (!tested.isEmpty()) {
            double[] ex = new double[tested.size()];
            for (int i = 0; i < ex.length; i++) ex[i] = lastStepOf(steps, tested.get(i).epoch());
            dots(l, "test loss (epoch)", ex, tested.stream().mapToDouble(EpochStats::testLoss).toArray());
            dots(a, "test accuracy (epoch)", ex, tested.stream().mapToDouble(EpochStats::testAccuracy).toArray());
        }
        BufferedImage out = new BufferedImage(2 * WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(BitmapEncoder.getBufferedImage(l), 0, 0, null);
            g.drawImage(BitmapEncoder.getBufferedImage(a), WIDTH, 0, null);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(out, "png", bytes)) throw new IOException("StepPlot: this JVM has no PNG writer");
        AtomicFiles.write(png, bytes.toByteArray());
    }

    /** The mean of each point and the window − 1 points before it (fewer at the start). */
    static double[] movingAverage(double[] v, int window) {
        double[] out = new double[v.length];
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            sum += v[i];
            if (i >= window) sum -= v[i - window];
            out[i] = sum / Math.min(i + 1, window);
        }
        return out;
    }

    private static double lastStepOf(List<Point> steps, int epoch) {
        double last = Double.NaN;
        for (Point p : steps) if (p.epoch() == epoch) last = p.step();
        return Double.isNaN(last) ? steps.get(steps.size() - 1).step() : last;
    }

    private static XYChart chart(String title, String y, Styler.LegendPosition legend) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("step").yAxisTitle(y).build();
        c.getStyler().setLegendPosition(legend);
        c.getStyler().setXAxisDecimalPattern("#,##0");
        c.getStyler().setYAxisDecimalPattern("0.00");
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        return c;
    }

    private static void line(XYChart c, String name, double[] x, double[] y, Color color, float width) {
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineStyle(new BasicStroke(width));
    }

    private static void dots(XYChart c, String name, double[] x, double[] y) {
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(TEST);
    }
}
