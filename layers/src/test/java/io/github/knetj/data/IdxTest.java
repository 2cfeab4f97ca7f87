package io.github.knetj.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static io.github.knetj.data.IdxFiles.*;
import static org.junit.jupiter.api.Assertions.*;

/** The idx reader on tiny generated files, raw and gzip, and on broken ones. */
class IdxTest {
    @TempDir Path dir;

    private Path write(String name, byte[] b) throws IOException { return Files.write(dir.resolve(name), b); }

    private void assertFails(Path f, String... words) {
        IOException e = assertThrows(IOException.class, () -> Idx.read(f));
        for (String w : words) assertTrue(e.getMessage().contains(w), "message lacks '" + w + "': " + e.getMessage());
    }

    @Test void readsRawAndGzipWithTheSameChecksum() throws IOException {
        byte[] raw = idx(new int[]{2, 3}, new byte[]{1, 2, 3, (byte) 200, 5, 6});
        Idx.Array a = Idx.read(write("a", raw));
        Idx.Array g = Idx.read(write("a.gz", gzip(raw)));
        assertArrayEquals(new int[]{2, 3}, a.dims());
        assertArrayEquals(new byte[]{1, 2, 3, (byte) 200, 5, 6}, a.data());
        assertArrayEquals(a.data(), g.data());
        assertEquals(sha256(raw), a.sha256());
        assertEquals(a.sha256(), g.sha256());
    }

    @Test void truncatedFilesAreClearErrors() throws IOException {
        byte[] raw = idx(new int[]{4, 5}, new byte[20]);
        assertFails(write("t", Arrays.copyOf(raw, raw.length - 3)), "truncated", "[4, 5]", "needs 32 bytes", "has 29");
        assertFails(write("t.gz", gzip(Arrays.copyOf(raw, raw.length - 3))), "truncated", "found 17");
        byte[] gz = gzip(raw);
        assertFails(write("cut.gz", Arrays.copyOf(gz, gz.length / 2)), "corrupt or truncated gzip");
        assertFails(write("h", Arrays.copyOf(raw, 6)), "truncated idx header");
        assertFails(write("x", Arrays.copyOf(raw, raw.length + 2)), "trailing bytes");
    }

    @Test void badMagicAndTypeAreClearErrors() throws IOException {
        assertFails(write("m", new byte[]{1, 2, 3, 4, 0, 0, 0, 0}), "not an idx file");
        assertFails(write("f", new byte[]{0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0}), "type code 0x0d");
        assertFails(write("r", new byte[]{0, 0, 8, 9}), "9 dimensions");
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Idx.read(dir.resolve("none")));
    }

    @Test void aLyingHeaderInGzipDoesNotAllocateItsClaim() throws IOException {
        byte[] lie = idx(new int[]{60_000, 40_000}, new byte[10]);   // claims 2.4·10⁹ bytes, holds 10
        assertFails(write("lie.gz", gzip(lie)), "too large");
        byte[] lie2 = idx(new int[]{40_000, 40_000}, new byte[10]);  // claims 1.6·10⁹ bytes, holds 10
        assertFails(write("lie2.gz", gzip(lie2)), "announces 1600000012 bytes, more than the 268435456 expected");   // refused before reading
    }
}
