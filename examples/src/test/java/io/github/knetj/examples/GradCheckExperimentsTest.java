package io.github.knetj.examples;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;
import io.github.knetj.autograd.EpsSweep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gradient experiments of {@code ./knetj gradcheck}: --eps-sweep with --plot, --compare-backends, and their errors. */
class GradCheckExperimentsTest {
    /** Runs the command, returning its stdout lines; the exit code must be 0. */
    private static List<String> run(String... argv) throws IOException {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            code = GradCheckCommand.run(argv);
        } finally {
            System.setOut(saved);
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, code, String.join("\n", lines));
        return lines;
    }

    @Test
    void anEpsSweepPrintsTheTableAndWritesAPlot(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("plots/sweep.png");
        List<String> out = run("--op", "tanh", "--eps-sweep", "--plot", png.toString(), "--backend", "reference");
        assertTrue(out.stream().anyMatch(l -> l.startsWith("1e-12")), String.join("\n", out));
        String json = out.get(out.size() - 1);
        assertTrue(json.startsWith("{\"command\":\"gradcheck\",\"status\":\"ok\",\"mode\":\"eps-sweep\"") && json.contains("\"plot\""), json);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(900, image.getWidth());
        try (var files = Files.list(png.getParent())) { assertEquals(1, files.count(), "no temporary file is left behind"); }
    }

    @Test
    void aLayerSweepBuildsTheLayerInBothDtypes() {
        Backend b = Backends.get("reference");
        EpsSweep.Result r = GradCheckCommand.layerSweep("dense", b, 3);
        assertTrue(r.subject().startsWith("Dense(4 => 3, tanh)"), r.subject());
        assertEquals(r.series(DType.FLOAT64).scale(), r.series(DType.FLOAT32).scale(), 1e-4 * r.series(DType.FLOAT64).scale());
        assertTrue(r.series(DType.FLOAT64).best(true).central() < 1e-8, r::table);
    }

    @Test
    void backendsAgreeOnGradients() throws IOException {
        List<String> out = run("--compare-backends", "--op", "matmul");
        String json = out.get(out.size() - 1);
        assertTrue(json.contains("\"mode\":\"compare-backends\""), json);
        GradCheckCommand.Comparison c = GradCheckCommand.compare("conv", true, Backends.available(), DType.FLOAT64, 1);
        assertTrue(c.maxDiff() < 1e-12, c.toString());
        GradCheckCommand.Comparison same = GradCheckCommand.compare("tanh", false, List.of(Backends.get("reference"), Backends.get("reference")), DType.FLOAT64, 1);
        assertEquals(0, same.maxDiff());
        assertEquals("reference/reference", same.pair());
    }

    @Test
    void misusedOptionsAreClearErrors() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GradCheckCommand.run(new String[]{"--eps-sweep"}))
                .getMessage().contains("--op NAME"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GradCheckCommand.run(new String[]{"--op", "tanh", "--plot", "x.png"}))
                .getMessage().contains("--eps-sweep"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GradCheckCommand.run(new String[]{"--layer", "lstm", "--eps-sweep"}))
                .getMessage().contains("unknown layer"));
        assertThrows(IllegalArgumentException.class, () -> GradCheckCommand.run(new String[]{"--eps-sweep", "--compare-backends", "--op", "tanh"}));
    }
}
