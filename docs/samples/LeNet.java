// The README's LeNet as one file you can run without a project, from a KnetJ clone after ./knetj has built it:
//   java --add-modules jdk.incubator.vector -XX:Tier3DelayOn=100000 -cp "examples/target/classes:examples/target/lib/*" docs/samples/LeNet.java [EXAMPLES] [EPOCHS]
// or with the published jars on the class path instead; in ./knetj shell:  /open docs/samples/LeNet.java  then  LeNet.main()
// EXAMPLES (default all 60,000) trains on the first EXAMPLES training images, for a quick try.
import io.github.knetj.api.DType;
import io.github.knetj.autograd.AutoGrad.*;
import io.github.knetj.autograd.Defaults;
import io.github.knetj.autograd.Ops;
import io.github.knetj.data.*;
import io.github.knetj.layers.*;
import io.github.knetj.optim.Optimizers;
import io.github.knetj.train.Trainer;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import static io.github.knetj.autograd.NNOps.*;
import static io.github.knetj.autograd.Ops.*;
import static io.github.knetj.layers.Init.*;

public class LeNet {
    record Conv(Param w, Param b) implements Layer {                     // Knet's struct Conv; w; b; end
        Conv(int kh, int kw, int cin, int cout) { this(param(cout, cin, kh, kw), param0(1, cout, 1, 1)); }
        public Value apply(Value x) { return relu(pool(add(conv4(w, x), b), 2)); }
    }

    record Dense(Param w, Param b, UnaryOperator<Value> f) implements Layer {
        Dense(int in, int out, UnaryOperator<Value> f) { this(param(out, in), param0(out), f); }
        public Value apply(Value x) { return f.apply(linear(mat(x), w, b)); }   // f(x wᵀ + b)
    }

    static double lenet(Mnist.Split train, Mnist.Split test, int epochs) {
        Chain model = new Chain(new Conv(5, 5, 1, 20), new Conv(5, 5, 20, 50),
                                new Dense(800, 500, Ops::relu), new Dense(500, 10, x -> x));
        Minibatch dtrn = Minibatch.of(train.images(), train.labels(), new int[]{1, 28, 28}, 100).shuffle(1);
        Minibatch dtst = Minibatch.of(test.images(), test.labels(), new int[]{1, 28, 28}, 100);
        new Trainer().fit(model, dtrn, Optimizers.adam(0.001), epochs);   // cross-entropy, progress bar
        return Trainer.evaluate(model, dtst).accuracy();
    }

    public static void main(String... args) throws Exception {
        Defaults.dtype(DType.FLOAT32);   // as ./knetj train does (./knetj shell starts in float64, for gradient checks)
        Mnist mnist = Mnist.load();      // downloaded once into ~/.knetj/data/mnist
        int n = args.length > 0 ? Integer.parseInt(args[0]) : mnist.train().labels().length;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Mnist.Split train = new Mnist.Split(Arrays.copyOf(mnist.train().images(), n * 784), Arrays.copyOf(mnist.train().labels(), n));
        long start = System.nanoTime();
        double cpu0 = cpuSeconds();
        double accuracy = lenet(train, mnist.test(), epochs);
        // CPU seconds of the whole JVM (JIT compiler threads included) measure the work even on a busy machine.
        System.out.printf("LeNet: %d examples x %d epochs, test accuracy %.4f, %.1f s, %.1f CPU s%n",
                n, epochs, accuracy, (System.nanoTime() - start) / 1e9, cpuSeconds() - cpu0);
    }

    static double cpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }
}
