package io.github.knetj.tck.reference;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Convolution;
import io.github.knetj.api.DType;
import io.github.knetj.api.Elementwise;
import io.github.knetj.api.Fused;
import io.github.knetj.api.Layout;
import io.github.knetj.api.Linalg;
import io.github.knetj.api.Memory;
import io.github.knetj.api.NN;
import io.github.knetj.api.Reductions;

import java.util.EnumSet;
import java.util.Set;

/**
 * The reference backend: scalar, plain Java, written to be read, and the oracle every other backend is tested against.
 * Every kernel reads its inputs as doubles, computes each result element in double (sums and dots accumulate in
 * double) and rounds once to float for float32 results. Random draws use the {@link Backend#random()} default.
 */
public final class ReferenceBackend implements Backend {
    /** The name users and tests select it by. */
    public static final String NAME = "reference";

    private final ReferenceMemory memory = new ReferenceMemory(this);
    private final ReferenceLayout layout = new ReferenceLayout(this);
    private final ReferenceElementwise elementwise = new ReferenceElementwise(this);
    private final ReferenceReductions reductions = new ReferenceReductions(this);
    private final Linalg linalg = new ReferenceLinalg(this);
    private final ReferenceConvolution convolution = new ReferenceConvolution(this);
    private final ReferenceNN nn = new ReferenceNN(this);
    private final Fused fused = new ReferenceFused(this, memory, layout, elementwise, reductions, convolution, nn);

    @Override public String name() { return NAME; }

    @Override public String device() { return "scalar Java on the host (one thread, no SIMD)"; }

    @Override public Set<DType> dtypes() { return EnumSet.allOf(DType.class); }

    @Override public Memory memory() { return memory; }

    @Override public Layout layout() { return layout; }

    @Override public Elementwise elementwise() { return elementwise; }

    @Override public Reductions reductions() { return reductions; }

    @Override public Linalg linalg() { return linalg; }

    @Override public Convolution convolution() { return convolution; }

    @Override public NN nn() { return nn; }

    @Override public Fused fused() { return fused; }

    @Override public String toString() { return "ReferenceBackend"; }
}
