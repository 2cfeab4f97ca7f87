package io.github.knetj.cpu;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Checks;
import io.github.knetj.api.DType;
import io.github.knetj.api.HostTensor;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.TensorScope;

/** Helpers every CPU op group shares: checking inputs, reading their arrays, and making outputs. */
public final class Host {
    private Host() {}

    /** Every tensor on {@code backend} with one dtype (the error names {@code op}); returns the dtype. */
    public static DType check(String op, Backend backend, Tensor... xs) { return Checks.sameBackendAndDtype(op, backend, xs); }

    /** The (checked) tensor's storage: a CPU backend only ever holds HostTensors. */
    public static HostTensor host(Tensor t) { return (HostTensor) t; }

    /** The storage array, float[] or double[], for the dtype-agnostic copies of {@link System#arraycopy}. */
    static Object array(Tensor t) {
        HostTensor h = (HostTensor) t;
        return h.floats() != null ? h.floats() : h.doubles();
    }

    private static final ArrayPool POOL = new ArrayPool();

    /** A new zero tensor: on a pooled array inside a {@link TensorScope} (see {@link ArrayPool}), else a fresh one. */
    public static HostTensor zeros(Backend backend, Shape shape, DType dtype) { return make(backend, shape, dtype, true); }

    /**
     * A new tensor whose every element the caller writes before anyone reads it: a pooled array is not cleared first
     * (a convolution's 8 MB output, cleared and then overwritten, cost ~0.4 ms a pass).
     */
    public static HostTensor uncleared(Backend backend, Shape shape, DType dtype) { return make(backend, shape, dtype, false); }

    private static HostTensor make(Backend backend, Shape shape, DType dtype, boolean clear) {
        return TensorScope.active() && ArrayPool.pools(shape.size()) ? POOL.lend(backend, shape, dtype, clear) : HostTensor.zeros(backend, shape, dtype);
    }

    /** Items per parallel chunk for loops whose items each cost about {@code cost} element operations. */
    public static int grain(long cost) { return (int) Math.max(1, (1 << 15) / Math.max(1, cost)); }
}
