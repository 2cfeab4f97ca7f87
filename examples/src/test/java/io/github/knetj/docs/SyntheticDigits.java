package io.github.knetj.docs;

import io.github.knetj.data.Mnist;

import java.util.SplittableRandom;

/**
 * MNIST-shaped stand-ins for the tests of chapters 5 and 6, so that {@code ./knetj test} needs no download: 28×28
 * images in [0, 1] whose class k is a bright horizontal bar on rows 2k+3 to 2k+5 (its left end jittered), over noise.
 * Any model that can learn MNIST learns these in a few steps; the chapters' readers train on the real digits.
 */
final class SyntheticDigits {
    private SyntheticDigits() {}

    /** n images and labels, drawn from the seed. */
    static Mnist.Split make(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] images = new float[n * Mnist.SIDE * Mnist.SIDE];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(10), left = r.nextInt(2, 8);
            labels[i] = k;
            int base = i * Mnist.SIDE * Mnist.SIDE;
            for (int p = 0; p < Mnist.SIDE * Mnist.SIDE; p++) images[base + p] = (float) (0.3 * r.nextDouble());
            for (int row = 2 * k + 3; row < 2 * k + 6; row++)
                for (int col = left; col < left + 16; col++) images[base + row * Mnist.SIDE + col] = 1f;
        }
        return new Mnist.Split(images, labels);
    }
}
