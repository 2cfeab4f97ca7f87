package io.github.knetj.autograd;

import io.github.knetj.api.Backend;
import io.github.knetj.api.BackendUnavailableException;
import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;
import io.github.knetj.tck.BackendUnderTest;
import org.junit.jupiter.api.DynamicNode;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The backends every autograd property runs on, and a way to make one container of dynamic tests per backend. An
 * unavailable backend becomes a single test that is skipped with the reason, or fails when
 * {@code KNETJ_REQUIRE_BACKENDS} names it (the semantics of {@link BackendUnderTest#get}).
 */
public final class TestBackends {
    /**
     * The reference backend first: when it fails, the op's rule is wrong, not a backend's kernel. Then "primitives", the
     * reference backend's required primitives alone: every optional kernel composed, as a new backend starts.
     */
    public static final List<String> NAMES = List.of("reference", "primitives", "cpu", "opencl", "cuda");

    private TestBackends() {}

    /** Skips (or, when required, fails) the running test when the backend's device lacks the dtype. */
    public static void requireDtype(Backend backend, DType dtype) {
        if (!backend.dtypes().contains(dtype)) BackendUnderTest.unavailable(backend.name(), "no " + dtype + " on " + backend.device());
    }

    /** One container of {@code tests} per backend of {@link #NAMES}. */
    public static Stream<DynamicNode> each(Function<Backend, Stream<? extends DynamicNode>> tests) {
        return NAMES.stream().map(name -> {
            Backend backend;
            try {
                backend = Backends.get(name);
            } catch (BackendUnavailableException e) {
                return dynamicTest(name + " (unavailable)", () -> BackendUnderTest.unavailable(name, e.getMessage()));
            }
            return dynamicContainer(name, tests.apply(backend));
        });
    }
}
