package io.github.knetj.autograd.check;

import io.github.knetj.api.DType;
import io.github.knetj.autograd.AttentionOps;
import io.github.knetj.autograd.NNOps;
import io.github.knetj.autograd.Ops;
import io.github.knetj.autograd.TestBackends;
import io.github.knetj.autograd.check.GradCheck.Report;
import io.github.knetj.tck.property.Property;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The gradient property of every catalogued op: on random cases from the seeded property harness, autograd's
 * gradients match float64 central differences ({@link GradCheck}) on every available backend.
 */
class CatalogGradientTest {
    /** Cases per op and backend; {@code -Dknetj.tries=N} lowers it (a gradient check is costlier than a kernel test). */
    private static final int TRIES = Math.min(20, Property.tries());

    /** Public ops of Ops, NNOps and AttentionOps that are not differentiable ops, or are another entry under a second name. */
    private static final Set<String> NOT_OPS = Set.of(
            "value", "array", "param", "scalar", "zerosLike", "onesLike",   // constructors
            "sign", "step", "compare", "accuracy",                           // no gradient
            "scale", "shift",                                                // affine under other names (the "affine" entry)
            "define",                                                        // builds ops (silu, mish... have entries)
            "causalMask", "keyPaddingMask", "booleanMask");                  // constant masks (used by the attention entries)
    /** Method names whose catalog entry is spelt differently (the gradcheck table uses the UnaryOp labels). */
    private static final Map<String, String> ALIASES = Map.of("leakyRelu", "leaky_relu", "geluTanh", "gelu_tanh");

    @TestFactory
    Stream<DynamicNode> everyOpMatchesCentralDifferencesInFloat64() {
        return TestBackends.each(backend -> OpCatalog.entries().stream().map(e -> dynamicTest(e.name(), () -> {
                TestBackends.requireDtype(backend, DType.FLOAT64);
                Property.forAll("gradcheck " + e.name() + " on " + backend.name(), TRIES, e::sample, c -> {
                    Report report = c.check(GradCheck.options(), backend);
                    if (!report.passed()) throw new AssertionError(c + " on " + backend.name() + ":\n" + report);
                });
            })));
    }

    @Test
    void everyPublicOpOfOpsAndNNOpsHasACatalogEntry() {
        Set<String> missing = new TreeSet<>();
        for (Class<?> c : new Class<?>[]{Ops.class, NNOps.class, AttentionOps.class}) {
            for (Method m : c.getDeclaredMethods()) {
                if (!Modifier.isPublic(m.getModifiers()) || !Modifier.isStatic(m.getModifiers()) || NOT_OPS.contains(m.getName())) continue;
                if (!OpCatalog.names().contains(ALIASES.getOrDefault(m.getName(), m.getName()))) missing.add(c.getSimpleName() + "." + m.getName());
            }
        }
        assertEquals(Set.of(), missing, "ops without an OpCatalog entry (add one, or list them in NOT_OPS with the reason)");
    }
}
