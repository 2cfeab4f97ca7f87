package io.github.knetj.api;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SPI's split, counted: the abstract methods of the seven op groups are the required primitives (23, as
 * {@link Backend}'s Javadoc lists them), 13 op cases are primitives, and every kernel of {@link Fused} has a default.
 */
class RequiredPrimitivesTest {
    private static final List<Class<?>> GROUPS = List.of(Memory.class, Layout.class, Elementwise.class, Reductions.class,
            Linalg.class, Convolution.class, NN.class);

    private static List<String> abstractMethods(Class<?> c) {
        return Arrays.stream(c.getDeclaredMethods()).filter(m -> Modifier.isAbstract(m.getModifiers())).map(Method::getName).sorted().toList();
    }

    @Test
    void theRequiredPrimitivesAreTheOnesListed() {
        Map<String, List<String>> byGroup = new TreeMap<>();
        for (Class<?> g : GROUPS) byGroup.put(g.getSimpleName(), abstractMethods(g));
        assertEquals(Map.of(
                "Convolution", List.of("conv2d", "conv2dBackwardInput", "conv2dBackwardWeight", "maxPool2d", "maxPool2dBackward"),
                "Elementwise", List.of("binary", "unary"),
                "Layout", List.of("broadcastTo", "concat", "permute", "reshape", "slice"),
                "Linalg", List.of("matmul"),
                "Memory", List.of("cast", "fromArray", "fromArray", "full", "toDoubleArray", "toFloatArray"),
                "NN", List.of("gatherRows", "scatterAddRows"),
                "Reductions", List.of("max", "sum")), byGroup);
        assertEquals(23, byGroup.values().stream().mapToInt(List::size).sum());
    }

    @Test
    void thirteenOpCasesArePrimitives() {
        String unary = Arrays.stream(UnaryOp.values()).filter(UnaryOp::primitive).map(UnaryOp::name).collect(Collectors.joining(" "));
        String binary = Arrays.stream(BinaryOp.values()).filter(BinaryOp::primitive).map(BinaryOp::name).collect(Collectors.joining(" "));
        assertEquals("EXP LOG SQRT TANH ERF", unary);
        assertEquals("ADD SUB MUL DIV POW MAXIMUM GT EQ", binary);
    }

    @Test
    void everyFusedKernelHasADefault() {
        assertEquals(List.of("backend"), abstractMethods(Fused.class), "Fused may require nothing but its backend");
        assertTrue(Fused.class.getDeclaredMethods().length > 20);
    }
}
