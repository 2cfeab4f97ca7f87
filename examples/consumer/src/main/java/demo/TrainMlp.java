package demo;

import io.github.knetj.data.Minibatch;
import io.github.knetj.layers.MLP;
import io.github.knetj.optim.Optimizers;
import io.github.knetj.train.Trainer;

import java.util.Random;

/**
 * Trains a small MLP to tell which of four Gaussian blobs a point of the plane came from, and exits with status 1
 * when the test accuracy is below 0.95 (a tiny, fixed problem: it proves that the published artifacts train a model,
 * not how well). Run it with {@code mvn -q package exec:exec}.
 */
public final class TrainMlp {
    private TrainMlp() {}

    public static void main(String[] args) {
        Minibatch train = blobs(2000, 1), test = blobs(1000, 2);
        MLP model = new MLP(2, 32, 4);   // 2 inputs, one hidden layer of 32 relu units, 4 scores
        new Trainer().progress(Trainer.Progress.OFF).fit(model, train.shuffle(7), Optimizers.adam(0.01), 5);
        double accuracy = Trainer.evaluate(model, test).accuracy();
        System.out.printf("consumer: MLP test accuracy %.4f%n", accuracy);
        if (accuracy < 0.95) {
            System.err.println("consumer: expected a test accuracy of at least 0.95");
            System.exit(1);
        }
    }

    /** n points of 4 classes: class k is centred on the corner (±2, ±2) number k, with standard deviation 0.5. */
    static Minibatch blobs(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(4);
            y[i] = k;
            x[2 * i] = (float) ((k % 2 == 0 ? -2 : 2) + 0.5 * r.nextGaussian());
            x[2 * i + 1] = (float) ((k / 2 == 0 ? -2 : 2) + 0.5 * r.nextGaussian());
        }
        return Minibatch.of(x, y, new int[]{2}, 50);
    }
}
