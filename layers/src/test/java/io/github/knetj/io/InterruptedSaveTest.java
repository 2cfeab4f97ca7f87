package io.github.knetj.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A save interrupted by a signal (Ctrl-C, kill) leaves no temporary file: finally blocks do not run then, a shutdown hook does. */
class InterruptedSaveTest {
    /** Starts an atomic write that never finishes, after saying so with a marker file. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        AtomicFiles.write(dir.resolve("model.safetensors"), out -> {
            out.write(new byte[1 << 16]);
            out.flush();
            Files.writeString(dir.resolve("started"), "");
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test void aKilledSaveLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                InterruptedSaveTest.class.getName(), dir.toString()).inheritIO().start();
        try {
            for (int i = 0; i < 300 && !Files.exists(dir.resolve("started")); i++) Thread.sleep(100);
            assertTrue(Files.exists(dir.resolve("started")), "the child started writing");
            try (var s = Files.list(dir)) { assertTrue(s.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "a temporary file while writing"); }
            p.destroy();   // SIGTERM, as kill or a closed terminal sends
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        try (var s = Files.list(dir)) { assertEquals(List.of("started"), s.map(f -> f.getFileName().toString()).toList()); }
    }
}
