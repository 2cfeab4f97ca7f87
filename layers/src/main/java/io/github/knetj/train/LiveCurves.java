package io.github.knetj.train;

import org.knowm.xchart.SwingWrapper;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.swing.JFrame;
import javax.swing.SwingUtilities;
import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A window that draws the loss and accuracy of every step while training runs (XChart's Swing wrapper), for a
 * machine with a display: {@code LiveCurves.open("LeNet").ifPresent(w -> w.attach(trainer));}. On a headless JVM
 * (a server, CI, {@code -Djava.awt.headless=true}) {@link #open} returns empty and nothing is shown; {@link StepPlot}
 * draws the same curves into a PNG there. The window is redrawn at most four times a second, on Swing's thread.
 * (XChart's right-click menu saves PNG and JPG; its PDF and SVG exporters are not on KnetJ's class path.)
 */
public final class LiveCurves implements AutoCloseable {
    private static final long REDRAW_NANOS = 250_000_000L;
    private final XYChart loss, accuracy;
    private final SwingWrapper<XYChart> wrapper;
    private final JFrame frame;
    private final List<Double> steps = new ArrayList<>(), losses = new ArrayList<>(), accuracies = new ArrayList<>();
    private long lastDraw;

    private LiveCurves(String title) {
        loss = chart(title + " — loss", "loss");
        accuracy = chart(title + " — accuracy", "accuracy");
        wrapper = new SwingWrapper<>(List.of(loss, accuracy));
        wrapper.setTitle("KnetJ: " + title);
        frame = wrapper.displayChartMatrix();
    }

    /** A window showing the curves, or empty when this JVM has no display. */
    public static Optional<LiveCurves> open(String title) {
        if (GraphicsEnvironment.isHeadless()) return Optional.empty();
        return Optional.of(new LiveCurves(title));
    }

    /** Registers on trainer's step callback. */
    public LiveCurves attach(Trainer trainer) {
        trainer.onStep(this::step);
        return this;
    }

    /** Adds one step; redraws when the last redraw is at least a quarter second old. */
    public void step(StepInfo s) {
        synchronized (this) {
            steps.add((double) s.step());
            losses.add(s.loss());
            accuracies.add(s.accuracy());
        }
        long now = System.nanoTime();
        if (now - lastDraw >= REDRAW_NANOS || s.batch() == s.batches()) {
            lastDraw = now;
            redraw();
        }
    }

    /** Draws every step recorded so far (on Swing's thread). */
    public void redraw() {
        double[][] copy;
        synchronized (this) {
            copy = new double[][]{toArray(steps), toArray(losses), toArray(accuracies)};
        }
        SwingUtilities.invokeLater(() -> {
            loss.updateXYSeries("train loss", copy[0], copy[1], null);
            accuracy.updateXYSeries("train accuracy", copy[0], copy[2], null);
            wrapper.repaintChart(0);
            wrapper.repaintChart(1);
        });
    }

    /** How many steps the window holds. */
    public synchronized int size() { return steps.size(); }

    /** Closes the window. */
    @Override public void close() { SwingUtilities.invokeLater(frame::dispose); }

    private static XYChart chart(String title, String y) {
        XYChart c = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle("step").yAxisTitle(y).build();
        // XChart needs a point to start from; the first redraw replaces it.
        XYSeries s = c.addSeries("train " + y, new double[]{0}, new double[]{0});
        s.setMarker(SeriesMarkers.NONE);
        c.getStyler().setXAxisDecimalPattern("#,##0");
        c.getStyler().setYAxisDecimalPattern("0.00");
        c.getStyler().setLegendVisible(false);
        return c;
    }

    private static double[] toArray(List<Double> v) { return v.stream().mapToDouble(Double::doubleValue).toArray(); }
}
