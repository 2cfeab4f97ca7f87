package io.github.knetj.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Decompression is bounded by the size a file should have: a gzip bomb is refused before it inflates. */
class IdxBombTest {
    @TempDir Path dir;

    /** A gzip idx file whose header announces 1 GB of pixels, with mb megabytes of zeros behind it. */
    private Path bomb(String name, int mb) throws IOException {
        Path f = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(ByteBuffer.allocate(16).put(new byte[]{0, 0, 8, 3}).putInt(1_000_000).putInt(28).putInt(28 + 8).array());
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < mb; i++) out.write(zeros);
        }
        return f;
    }

    @Test void aHeaderAnnouncingMoreThanTheExpectedSizeIsRefusedBeforeInflating() throws IOException {
        Path f = bomb("train-images-idx3-ubyte.gz", 64);
        long heapBefore = used();
        IOException e = assertThrows(IOException.class, () -> Idx.read(f, Mnist.LENGTH.get(Mnist.TRAIN_IMAGES)));
        assertTrue(e.getMessage().contains("announces 1008000016 bytes, more than the 47040016 expected"), e.getMessage());
        assertTrue(used() - heapBefore < 32 << 20, "no large allocation");
        // The default bound of the general reader refuses it too.
        assertTrue(assertThrows(IOException.class, () -> Idx.read(f)).getMessage().contains("more than the 268435456 expected"));
    }

    @Test void mnistReadsItsCacheWithThoseBounds() throws IOException {
        bomb(Mnist.TRAIN_IMAGES + ".gz", 1);
        IOException e = assertThrows(IOException.class, () -> Mnist.read(dir, Mnist.SHA256));
        assertTrue(e.getMessage().contains("more than the 47040016 expected"), e.getMessage());
    }

    @Test void aDirectoryOrFifoIsNotRead() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("d"));
        assertTrue(assertThrows(IOException.class, () -> Idx.read(sub)).getMessage().contains("a directory"));
        Path fifo = dir.resolve("p");
        assertTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0);
        assertTrue(assertThrows(IOException.class, () -> Idx.read(fifo)).getMessage().contains("a FIFO"));
    }

    @Test void aDownloadIsCopiedOnlyUpToTheSizeItsFileCanHave() throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        MnistDownload.copyAtMost(new java.io.ByteArrayInputStream(new byte[1000]), out, 1000, "f");
        IOException e = assertThrows(IOException.class, () -> MnistDownload.copyAtMost(new java.io.ByteArrayInputStream(new byte[1001]), out, 1000, "f"));
        assertTrue(e.getMessage().equals("f: more than the 1000 bytes this file can have; not the MNIST file"), e.getMessage());
    }

    private static long used() {
        System.gc();
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }
}
