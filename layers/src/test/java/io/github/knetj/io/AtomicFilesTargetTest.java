package io.github.knetj.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Save targets are checked before the work, only regular files are ever replaced, and no temporary file outlives a failure. */
class AtomicFilesTargetTest {
    @TempDir Path dir;

    private static String refusal(Path target) { return assertThrows(IOException.class, () -> AtomicFiles.checkTarget(target)).getMessage(); }

    @Test void aTargetIsAbsentOrARegularFileInAWritablePlace() throws IOException {
        AtomicFiles.checkTarget(dir.resolve("new.safetensors"));
        AtomicFiles.checkTarget(dir.resolve("sub/dir/new.safetensors"));   // made when written
        AtomicFiles.checkTarget(Files.writeString(dir.resolve("old.txt"), "x"));
        assertTrue(refusal(dir).contains("is a directory"));
        assertTrue(refusal(Path.of("/dev/null")).contains("not a regular file (a FIFO, socket or device)"));
        assertTrue(refusal(dir.resolve("old.txt/x.safetensors")).contains("is not a directory"));
        assertTrue(refusal(Path.of("/proc/knetj.safetensors")).contains("cannot create a file in /proc"));
        try (var s = Files.list(dir)) { assertEquals(1, s.count(), "the probe file is gone"); }
    }

    @Test void aDeviceIsNeverReplacedAndAFailedWriteLeavesNothing() throws IOException {
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(Path.of("/dev/null"), new byte[]{1}));
        assertTrue(e.getMessage().contains("only a regular file is replaced"), e.getMessage());
        assertTrue(!Files.isRegularFile(Path.of("/dev/null")), "/dev/null is still a device");
        Path target = dir.resolve("m.safetensors");
        assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> { out.write(new byte[100]); throw new IOException("disk full"); }));
        try (var s = Files.list(dir)) { assertEquals(0, s.count(), "no temporary file left"); }
    }
}
