package io.github.knetj.api;

/**
 * Seeded random tensors. The defaults draw on the host with {@link CounterRng} and copy to the backend, so the same
 * seed gives the same numbers on every backend; a backend may override them with device kernels of the same formula.
 */
public interface RandomOps {
    Backend backend();

    /** Uniform in [lo, hi). */
    default Tensor uniform(Shape shape, DType dtype, double lo, double hi, long seed) {
        double[] v = new double[shape.sizeInt()];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * CounterRng.uniform(seed, i);
        return backend().memory().fromArray(v, shape, dtype);
    }

    /** Normal with the given mean and standard deviation. */
    default Tensor normal(Shape shape, DType dtype, double mean, double std, long seed) {
        double[] v = new double[shape.sizeInt()];
        for (int i = 0; i < v.length; i++) v[i] = mean + std * CounterRng.normal(seed, i);
        return backend().memory().fromArray(v, shape, dtype);
    }

    /** 1 with probability p, else 0. */
    default Tensor bernoulli(Shape shape, DType dtype, double p, long seed) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("bernoulli: p must be in [0, 1], got " + p);
        double[] v = new double[shape.sizeInt()];
        for (int i = 0; i < v.length; i++) v[i] = CounterRng.uniform(seed, i) < p ? 1 : 0;
        return backend().memory().fromArray(v, shape, dtype);
    }
}
