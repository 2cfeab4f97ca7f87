package io.github.knetj.tck;

import io.github.knetj.api.DType;
import io.github.knetj.api.UnaryOp;
import io.github.knetj.tck.FaultyBackend.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The suite's power: each planted bug is caught, and the same checks pass when nothing is planted. */
class SuiteCatchesFaultsTest {
    /** The suite as a backend module would extend it, on a backend with the given fault. */
    static final class Suite extends BackendSuite {
        Suite(Fault f) {
            super("faulty", () -> new FaultyBackend(f));
            startBackend();
        }
    }

    private static void caught(Fault f, String expectedInMessage, Executable check) {
        AssertionError e = assertThrows(AssertionError.class, check, "the suite missed " + f);
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }

    @Test
    void theSameChecksPassWithoutAFault() {
        Suite s = new Suite(Fault.NONE);
        s.unary(DType.FLOAT64, UnaryOp.EXP);
        s.unaryAtEdges(DType.FLOAT64, UnaryOp.SIGMOID);
        s.conv2d(DType.FLOAT64);
        s.pools(DType.FLOAT32);
    }

    @Test
    void catchesAnExpOffByOnePartIn1e7InFloat64() {
        caught(Fault.EXP_SLIGHTLY_OFF, "exp", () -> new Suite(Fault.EXP_SLIGHTLY_OFF).unary(DType.FLOAT64, UnaryOp.EXP));
    }

    @Test
    void catchesANaiveSigmoidAt800() {
        caught(Fault.NAIVE_SIGMOID, "sigmoid", () -> new Suite(Fault.NAIVE_SIGMOID).unaryAtEdges(DType.FLOAT32, UnaryOp.SIGMOID));
    }

    @Test
    void catchesConvolutionIgnoringDilationAndShrinksTheCase() {
        caught(Fault.CONV_IGNORES_DILATION, "shrunk case", () -> new Suite(Fault.CONV_IGNORES_DILATION).conv2d(DType.FLOAT32));
    }

    @Test
    void catchesAveragePoolingThatAlwaysCountsPadding() {
        caught(Fault.AVG_POOL_ALWAYS_INCLUDES_PAD, "avgPool2d", () -> new Suite(Fault.AVG_POOL_ALWAYS_INCLUDES_PAD).pools(DType.FLOAT64));
    }
}
