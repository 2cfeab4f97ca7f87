package io.github.knetj.tck;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.tck.property.Domain;
import io.github.knetj.tck.property.Gens;
import io.github.knetj.tck.reference.ReferenceBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The common ground of the backend suites: the backend under test, the reference backend it is compared with, and
 * helpers that put the same values on both and compare the results with the right {@link Tolerance}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SuiteBase {
    /** The oracle: its own instance, so even the reference backend under test is checked across two instances. */
    protected final Backend ref = new ReferenceBackend();
    private final String name;
    private final Supplier<Backend> supplier;
    /** The backend under test, set before the first test (or the class is skipped with the reason). */
    protected Backend backend;

    SuiteBase(String name, Supplier<Backend> supplier) {
        this.name = name;
        this.supplier = supplier;
    }

    @BeforeAll
    void startBackend() { backend = supplier == null ? BackendUnderTest.get(name) : supplier.get(); }

    /** The name given to the suite ("cpu", "cpu-scalar"). */
    protected String suiteName() { return name; }

    /** Values on the reference (index 0) and on the backend under test (index 1), rounded alike to dtype. */
    protected Tensor[] both(double[] values, Shape shape, DType dtype) {
        return new Tensor[] {ref.memory().fromArray(values, shape, dtype), backend.memory().fromArray(values, shape, dtype)};
    }

    /** Random values of a domain on both backends. */
    protected Tensor[] both(SplittableRandom r, Shape shape, DType dtype, Domain domain) {
        return both(Gens.values(r, shape, domain), shape, dtype);
    }

    /** Values rounded to multiples of 0.5 in [−2, 2]: exact in float32 and full of ties (for argmax, max, comparisons). */
    protected Tensor[] coarse(SplittableRandom r, Shape shape, DType dtype) {
        double[] v = new double[shape.sizeInt()];
        for (int i = 0; i < v.length; i++) v[i] = r.nextInt(-4, 5) * 0.5;
        return both(v, shape, dtype);
    }

    /** Asserts the backend's forward result matches the reference's, and lives on the backend under test. */
    protected void same(String what, Tensor expected, Tensor actual) { compare(what, expected, actual, Tolerance.of(actual.dtype(), false)); }

    /** As {@link #same}, with the looser tolerance of gradients and other long sums. */
    protected void sameGrad(String what, Tensor expected, Tensor actual) { compare(what, expected, actual, Tolerance.of(actual.dtype(), true)); }

    /** Compares with an explicit tolerance. */
    protected void compare(String what, Tensor expected, Tensor actual, Tolerance tolerance) {
        String label = what + " on " + name;
        if (actual.backend() != backend)
            throw new AssertionError(label + ": result is on backend '" + actual.backend().name() + "', expected the backend under test");
        if (actual.dtype() != expected.dtype())
            throw new AssertionError(label + ": result dtype " + actual.dtype() + ", expected " + expected.dtype());
        tolerance.check(label, expected.shape(), expected.toDoubleArray(), actual);
    }

    /** "op [2, 3] float32" for messages. */
    protected static String label(String op, DType dtype, Object... shapes) {
        StringBuilder sb = new StringBuilder(op);
        for (Object s : shapes) sb.append(' ').append(s);
        return sb.append(' ').append(dtype.label()).toString();
    }
}
