package io.github.knetj.tck.reference;

import io.github.knetj.api.Backend;
import io.github.knetj.api.BinaryOp;
import io.github.knetj.api.Convolution;
import io.github.knetj.api.DType;
import io.github.knetj.api.Elementwise;
import io.github.knetj.api.Fused;
import io.github.knetj.api.Layout;
import io.github.knetj.api.Linalg;
import io.github.knetj.api.Memory;
import io.github.knetj.api.NN;
import io.github.knetj.api.Reductions;
import io.github.knetj.api.Tensor;
import io.github.knetj.api.UnaryOp;

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
    /** The name of {@link #primitivesOnly()}. */
    public static final String PRIMITIVES = "primitives";

    private final String name;
    private final ReferenceMemory memory = new ReferenceMemory(this);
    private final ReferenceLayout layout = new ReferenceLayout(this);
    private final ReferenceElementwise kernels = new ReferenceElementwise(this);
    private final Elementwise elementwise;
    private final ReferenceReductions reductions = new ReferenceReductions(this);
    private final Linalg linalg = new ReferenceLinalg(this);
    private final ReferenceConvolution convolution = new ReferenceConvolution(this);
    private final ReferenceNN nn = new ReferenceNN(this);
    private final Fused fused;

    public ReferenceBackend() { this(NAME, false); }

    private ReferenceBackend(String name, boolean primitivesOnly) {
        this.name = name;
        this.elementwise = primitivesOnly ? primitiveCases(kernels) : kernels;
        this.fused = primitivesOnly ? () -> this : new ReferenceFused(this, memory, layout, kernels, reductions, convolution, nn);
    }

    /**
     * The reference backend's required primitives and nothing else (named {@value #PRIMITIVES}): its unary and binary
     * kernels refuse the non-primitive op cases, and every optional kernel is {@link Fused}'s default composed from
     * the primitives. The autograd suites run on it to show that a backend with only the primitives runs every op.
     */
    public static ReferenceBackend primitivesOnly() { return new ReferenceBackend(PRIMITIVES, true); }

    /** The element-wise kernels restricted to the primitive op cases: anything else reaching them bypassed Fused. */
    private static Elementwise primitiveCases(Elementwise all) {
        return new Elementwise() {
            @Override public Tensor unary(UnaryOp op, Tensor x, double param) {
                if (!op.primitive()) throw new UnsupportedOperationException("backend primitives lacks op " + op.label() + " (not a primitive: reach it through Fused)");
                return all.unary(op, x, param);
            }

            @Override public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
                if (!op.primitive()) throw new UnsupportedOperationException("backend primitives lacks op " + op.label() + " (not a primitive: reach it through Fused)");
                return all.binary(op, a, b);
            }
        };
    }

    @Override public String name() { return name; }

    @Override public String device() {
        return fused instanceof ReferenceFused ? "scalar Java on the host (one thread, no SIMD)"
                : "scalar Java on the host, the required primitives only (every optional kernel composed)";
    }

    @Override public Set<DType> dtypes() { return EnumSet.allOf(DType.class); }

    @Override public Memory memory() { return memory; }

    @Override public Layout layout() { return layout; }

    @Override public Elementwise elementwise() { return elementwise; }

    @Override public Reductions reductions() { return reductions; }

    @Override public Linalg linalg() { return linalg; }

    @Override public Convolution convolution() { return convolution; }

    @Override public NN nn() { return nn; }

    @Override public Fused fused() { return fused; }

    @Override public String toString() { return name.equals(NAME) ? "ReferenceBackend" : "ReferenceBackend(" + name + ")"; }
}
