package io.github.knetj.layers;

import io.github.knetj.api.Backend;
import io.github.knetj.api.CounterRng;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.Defaults;

/**
 * Initialisers, in Knet's spirit: tensors on {@link Defaults#backend()} in {@link Defaults#dtype()} filled by Xavier
 * (Glorot) uniform or normal, a gaussian, zeros or ones, and {@link #param}/{@link #param0} that wrap them as
 * trainable parameters.
 * <p>
 * Every draw is seeded from a seed and a counter, so after {@code Init.seed(s)} the same code builds the same model
 * on every backend; the seed is 0 until set. Both belong to the calling thread: two threads that each seed and build a
 * model get the weights each would get alone (with one process-wide stream, 8 of 24 such runs differed). Fans follow PyTorch: for dims (out, in, k...) fan_in =
 * in·k… and fan_out = out·k…; a vector of n has fan_in n and fan_out 1, as in Knet. For dense weights this is Knet's
 * {@code xavier} too; for convolution weights Knet counts only the output channels in fan_out, a wider bound. PyTorch's
 * rule is kept because the peer benchmarks use it (LeNet after one epoch, seed 1: 0.9835 with it, 0.9825 with Knet's).
 */
public final class Init {
    /** This thread's seed and how many draws it has made since. */
    private static final class Stream { long seed, counter; }

    private static final ThreadLocal<Stream> STREAM = ThreadLocal.withInitial(Stream::new);

    private Init() {}

    /** Restarts the random stream: the same seed gives the same parameters and dropout masks afterwards. */
    public static void seed(long s) { Stream st = STREAM.get(); st.seed = s; st.counter = 0; }

    /** The seed of the next random draw: a pure function of this thread's seed and how many draws came before. */
    public static long nextSeed() { Stream st = STREAM.get(); return CounterRng.bits(st.seed, st.counter++); }

    /**
     * Runs body with this thread's stream restarted at {@code seed}, then puts the stream back as it was: a step split
     * over threads gives each part a seed drawn on the caller's thread, so its dropout masks do not depend on which
     * thread runs it.
     */
    public static <T> T withSeed(long seed, java.util.function.Supplier<T> body) {
        Stream st = STREAM.get();
        long s0 = st.seed, c0 = st.counter;
        seed(seed);
        try {
            return body.get();
        } finally {
            st.seed = s0;
            st.counter = c0;
        }
    }

    /** Uniform in ±√(6/(fan_in + fan_out)) (Glorot and Bengio 2010; PyTorch's xavier_uniform_). */
    public static Tensor xavierUniform(int... dims) {
        double bound = Math.sqrt(6.0 / fanSum(dims));
        return backend().random().uniform(Shape.of(dims), Defaults.dtype(), -bound, bound, nextSeed());
    }

    /** Normal with mean 0 and standard deviation √(2/(fan_in + fan_out)) (PyTorch's xavier_normal_). */
    public static Tensor xavierNormal(int... dims) { return gaussian(Math.sqrt(2.0 / fanSum(dims)), dims); }

    /** Normal with mean 0 and the given standard deviation (Knet's {@code gaussian}, whose default std is 0.01). */
    public static Tensor gaussian(double std, int... dims) {
        if (!(std >= 0)) throw new IllegalArgumentException("Init.gaussian: std must be >= 0, got " + std);
        return backend().random().normal(Shape.of(dims), Defaults.dtype(), 0, std, nextSeed());
    }

    public static Tensor zeros(int... dims) { return backend().memory().zeros(Shape.of(dims), Defaults.dtype()); }

    public static Tensor ones(int... dims) { return backend().memory().ones(Shape.of(dims), Defaults.dtype()); }

    /** A parameter of these dims, Xavier-uniform (Knet's {@code param(dims...)}). */
    public static Param param(int... dims) { return new Param(xavierUniform(dims)); }

    /** A parameter of zeros, for biases (Knet's {@code param0}). */
    public static Param param0(int... dims) { return new Param(zeros(dims)); }

    /** A parameter of ones, for the scales of normalisation layers. */
    public static Param param1(int... dims) { return new Param(ones(dims)); }

    /** fan_in + fan_out of a tensor of these dims, as documented on the class. */
    static double fanSum(int... dims) {
        if (dims.length == 0) return 2;
        if (dims.length == 1) return dims[0] + 1;
        long receptive = 1;
        for (int i = 2; i < dims.length; i++) receptive *= dims[i];
        double sum = (double) (dims[0] + dims[1]) * receptive;
        if (sum <= 0) throw new IllegalArgumentException("Init: cannot initialise a tensor of dims " + Shape.of(dims) + " (a fan is zero)");
        return sum;
    }

    private static Backend backend() { return Defaults.backend(); }
}
