package io.github.knetj.train;

import org.junit.jupiter.api.Test;

import java.awt.GraphicsEnvironment;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The live window exists exactly when the JVM has a display: headless (CI, servers) it is empty and training goes on
 * without it; with a display it opens, takes every step, and closes.
 */
class LiveCurvesTest {
    @Test
    void opensOnlyWithADisplay() throws Exception {
        Optional<LiveCurves> w = LiveCurves.open("test");
        assertEquals(!GraphicsEnvironment.isHeadless(), w.isPresent());
        if (w.isPresent()) {
            try (LiveCurves c = w.get()) {
                for (int s = 1; s <= 50; s++) c.step(new StepInfo(1, s, 50, s, 2.0 / s, 1 - 1.0 / s, 10, 0.1));
                javax.swing.SwingUtilities.invokeAndWait(() -> { });   // the redraws have run
                assertEquals(50, c.size());
            }
        }
    }
}
