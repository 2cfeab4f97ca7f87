package io.github.knetj.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-step curves: the moving average by hand, and a PNG of two 640×420 panels with curves drawn in them. */
class StepPlotTest {
    @Test
    void movingAverageOfTheLastWindowPoints() {
        assertArrayEquals(new double[]{1, 1.5, 2.5, 3.5}, StepPlot.movingAverage(new double[]{1, 2, 3, 4}, 2), 1e-12);
        assertArrayEquals(new double[]{4, 3, 2}, StepPlot.movingAverage(new double[]{4, 2, 0}, 3), 1e-12);
    }

    @Test
    void drawsBothPanels(@TempDir Path dir) throws IOException {
        List<StepPlot.Point> steps = new ArrayList<>();
        for (int s = 1; s <= 300; s++)
            steps.add(new StepPlot.Point(s, (s - 1) / 100 + 1, 2.3 * Math.exp(-s / 60.0) + 0.1 * Math.sin(s), 1 - 0.9 * Math.exp(-s / 50.0)));
        List<EpochStats> epochs = List.of(
                new EpochStats(1, 0.9, 0.7, 0.5, 0.85, 1, 100, 100), new EpochStats(2, 0.3, 0.9, 0.25, 0.93, 1, 100, 100),
                new EpochStats(3, 0.15, 0.95, 0.2, 0.95, 1, 100, 100));
        Path png = dir.resolve("curves.png");
        StepPlot.save(steps, epochs, png, "test");
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1280, img.getWidth());
        assertEquals(420, img.getHeight());
        // The dark moving-average colour appears in both panels.
        int left = 0, right = 0;
        for (int y = 0; y < img.getHeight(); y++)
            for (int x = 0; x < img.getWidth(); x++)
                if ((img.getRGB(x, y) & 0xffffff) == 0x1446a0) { if (x < 640) left++; else right++; }
        assertTrue(left > 100 && right > 100, "curve pixels left " + left + ", right " + right);
        assertThrows(IllegalArgumentException.class, () -> StepPlot.save(List.of(), List.of(), png, "empty"));
    }

    @Test
    void aRecorderCollectsWhatTheTrainerReports(@TempDir Path dir) throws IOException {
        io.github.knetj.api.Backend before = io.github.knetj.autograd.Defaults.backend();
        io.github.knetj.autograd.Defaults.backend(io.github.knetj.api.Backends.get("reference"));
        try {
            io.github.knetj.layers.Init.seed(2);
            float[] x = new float[30 * 2];
            int[] y = new int[30];
            for (int i = 0; i < y.length; i++) { x[2 * i] = i % 2 == 0 ? 1 : -1; x[2 * i + 1] = (float) Math.cos(i); y[i] = i % 2; }
            io.github.knetj.data.Minibatch data = io.github.knetj.data.Minibatch.of(x, y, new int[]{2}, 10);
            Trainer t = new Trainer().progress(Trainer.Progress.OFF).test(data);
            StepPlot.Recorder rec = new StepPlot.Recorder().attach(t);
            t.fit(new io.github.knetj.layers.Linear(2, 2), data, io.github.knetj.optim.Optimizers.sgd(0.5), 2);
            assertEquals(6, rec.steps().size());
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), rec.steps().stream().map(StepPlot.Point::step).toList());
            assertEquals(2, rec.epochs().size());
            rec.save(dir.resolve("r.png"), "recorded");
            assertEquals(1280, ImageIO.read(dir.resolve("r.png").toFile()).getWidth());
        } finally {
            io.github.knetj.autograd.Defaults.backend(before);
        }
    }
}
