package io.github.knetj.autograd;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;

/**
 * Where new values are made when no input says: the backend ({@link Backends#get()} unless set) and the dtype
 * (system property {@code knetj.dtype}, else float32).
 */
public final class Defaults {
    private static volatile Backend backend;
    private static volatile DType dtype = DType.parse(System.getProperty("knetj.dtype", "float32"));

    private Defaults() {}

    public static Backend backend() {
        Backend b = backend;
        if (b == null) backend = b = Backends.get();
        return b;
    }

    public static void backend(Backend b) { backend = b; }

    public static DType dtype() { return dtype; }

    public static void dtype(DType d) { dtype = d; }
}
