package io.github.knetj.train;

import io.github.knetj.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A plot of a training {@link History} as one PNG, drawn with XChart: loss per epoch (train and test) on the left, accuracy on
 * the right. Runs headless, and the file is written atomically.
 */
public final class Plot {
    private static final int WIDTH = 640, HEIGHT = 420;

    static {
        // Training runs on servers and CI without a display; XChart only needs an off-screen image.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private Plot() {}

    /** Writes the loss and accuracy curves of history to {@code png}; only the loss when there is no accuracy (regression). */
    public static void save(History history, Path png, String title) throws IOException {
        List<EpochStats> es = history.epochs();
        if (es.isEmpty()) throw new IllegalArgumentException("Plot: the history has no epochs to draw");
        double[] x = es.stream().mapToDouble(EpochStats::epoch).toArray();
        XYChart loss = chart(title + " — loss", "epoch", "loss", org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        loss.addSeries("train loss", x, es.stream().mapToDouble(EpochStats::trainLoss).toArray());
        if (es.stream().noneMatch(e -> Double.isNaN(e.testLoss()))) loss.addSeries("test loss", x, es.stream().mapToDouble(EpochStats::testLoss).toArray());
        if (es.stream().allMatch(e -> Double.isNaN(e.trainAccuracy()))) { write(png, loss); return; }
        XYChart acc = chart(title + " — accuracy", "epoch", "accuracy", org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        acc.addSeries("train accuracy", x, es.stream().mapToDouble(EpochStats::trainAccuracy).toArray());
        if (es.stream().noneMatch(e -> Double.isNaN(e.testAccuracy()))) acc.addSeries("test accuracy", x, es.stream().mapToDouble(EpochStats::testAccuracy).toArray());
        write(png, loss, acc);
    }

    /**
     * Writes named curves over a common x axis (a GAN's generator and discriminator losses per step, say) to
     * {@code png}, one chart; each series must have one value per x.
     */
    public static void curves(Path png, String title, String xLabel, String yLabel, double[] x, java.util.Map<String, double[]> series) throws IOException {
        if (series.isEmpty()) throw new IllegalArgumentException("Plot.curves: no series to draw");
        XYChart c = chart(title, xLabel, yLabel, org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        c.getStyler().setMarkerSize(0);
        c.getStyler().setXAxisDecimalPattern("#,##0");
        for (var e : series.entrySet()) {
            if (e.getValue().length != x.length)
                throw new IllegalArgumentException("Plot.curves: series '" + e.getKey() + "' has " + e.getValue().length + " values for " + x.length + " x values");
            c.addSeries(e.getKey(), x, e.getValue());
        }
        write(png, c);
    }

    /** The charts side by side in one PNG, written atomically. */
    private static void write(Path png, XYChart... charts) throws IOException {
        BufferedImage out = new BufferedImage(charts.length * WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            for (int i = 0; i < charts.length; i++) g.drawImage(BitmapEncoder.getBufferedImage(charts[i]), i * WIDTH, 0, null);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(out, "png", bytes)) throw new IOException("Plot: this JVM has no PNG writer");
        AtomicFiles.write(png, bytes.toByteArray());
    }

    /** A line chart; the legend goes where the curves are not (losses fall, accuracies rise). */
    private static XYChart chart(String title, String xLabel, String y, org.knowm.xchart.style.Styler.LegendPosition legend) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel).yAxisTitle(y).build();
        c.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Line);
        c.getStyler().setMarkerSize(6);
        c.getStyler().setXAxisDecimalPattern("0");
        c.getStyler().setLegendPosition(legend);
        return c;
    }
}
