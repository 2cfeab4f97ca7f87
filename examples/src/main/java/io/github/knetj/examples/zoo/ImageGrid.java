package io.github.knetj.examples.zoo;

import io.github.knetj.io.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;

/** A square grid of gray images as one PNG, written atomically: pixels in [0, 1], 2-pixel black borders. */
final class ImageGrid {
    private ImageGrid() {}

    /** The first side·side images of {@code pixels} (each size×size, row-major, in [0, 1]) as a side×side grid. */
    static void write(Path png, float[] pixels, int side, int size) throws IOException {
        int cell = size + 2, n = side * side;
        if (pixels.length < n * size * size)
            throw new IllegalArgumentException("ImageGrid: " + pixels.length + " pixels are fewer than " + n + " images of " + size + "×" + size);
        BufferedImage img = new BufferedImage(side * cell + 2, side * cell + 2, BufferedImage.TYPE_BYTE_GRAY);
        for (int k = 0; k < n; k++) {
            int ox = 2 + (k % side) * cell, oy = 2 + (k / side) * cell;
            for (int r = 0; r < size; r++)
                for (int c = 0; c < size; c++) {
                    float v = Math.min(1, Math.max(0, pixels[k * size * size + r * size + c]));
                    int g = Math.round(v * 255);
                    img.getRaster().setSample(ox + c, oy + r, 0, g);
                }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", bytes)) throw new IOException("ImageGrid: this JVM has no PNG writer");
        AtomicFiles.write(png, bytes.toByteArray());
    }
}
