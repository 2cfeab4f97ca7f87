package io.github.knetj.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sizes are checked arithmetic: no product wraps, no output size rounds toward zero, no count is out of bounds. */
class SizeChecksTest {
    private static String message(Runnable r) { return assertThrows(IllegalArgumentException.class, r::run).getMessage(); }

    @Test void shapeSizesNeverWrap() {
        // 65536^4 = 2^64 was 0, and ops ran on it; larger products went negative.
        assertTrue(message(() -> Shape.of(65536, 65536, 65536, 65536)).contains("more than 2^63 - 1 elements"));
        assertTrue(message(() -> Shape.of(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE)).contains("[2147483647, 2147483647, 2147483647]"));
        assertEquals(0, Shape.of(65536, 65536, 65536, 65536, 0).size(), "a zero dimension makes any shape empty");
        assertEquals(1L << 48, Shape.of(65536, 65536, 65536).size());
        assertEquals(6L << 40, Shape.of(1 << 20, 1 << 20, 6).bytes(1));
        assertTrue(message(() -> Shape.of(1 << 30, 1 << 30, 1 << 2).bytes(8)).contains("more than 2^63 bytes"));
        assertArrayEquals(new int[]{12, 4, 1}, Shape.of(2, 3, 4).strides());
        assertTrue(message(() -> Shape.of(2, 1 << 16, 1 << 16).strides()).contains("more than an int index reaches"));
    }

    @Test void anAllocationThatCannotFitFailsAtOnceWithItsByteCount() {
        long max = Runtime.getRuntime().maxMemory();
        int n = (int) Math.min(Integer.MAX_VALUE - 16, max / 4 + 1024);
        String m = message(() -> Shape.of(n).sizeInt());
        assertTrue(m.contains("needs at least " + 4L * n + " bytes") || m.contains("more than a Java array holds"), m);
        assertTrue(message(() -> Shape.of(1 << 20, 1 << 20).sizeInt()).contains("1099511627776 elements, more than a Java array holds"));
    }

    @Test void convolutionOutputSizesFloorAndRefuseNonPositiveSizes() {
        // (3 - 5) / 3 + 1 rounded toward zero is 1: a 5x5 kernel "fit" a 3x3 input. Floor division gives 0.
        assertEquals(0, Conv2d.outSize(3, 5, 3, 0, 1));
        assertEquals(-1, Conv2d.outSize(3, 5, 1, 0, 1));
        String m = message(() -> Conv2d.of(3, 0, 1).outputShape(Shape.of(1, 1, 3, 3), Shape.of(1, 1, 5, 5)));
        assertTrue(m.startsWith("conv2d: kernel 5x5 of w [1, 1, 5, 5] does not fit input x [1, 1, 3, 3]") && m.contains("the output would be 0x0"), m);
        assertEquals(Shape.of(1, 1, 1, 1), Conv2d.of(3, 0, 1).outputShape(Shape.of(1, 1, 5, 5), Shape.of(1, 1, 5, 5)));
        String p = message(() -> Pool2d.of(5).outputShape(Shape.of(1, 1, 3, 3)));
        assertTrue(p.startsWith("pool2d: window 5x5 (stride 5x5, padding 0x0) does not fit input x [1, 1, 3, 3]"), p);
        String t = message(() -> Conv2d.of(1, 4, 1).transposedOutputShape(Shape.of(1, 1, 2, 2), Shape.of(1, 1, 3, 3), 0, 0));
        assertTrue(t.startsWith("conv_transpose2d: x [1, 1, 2, 2] and w [1, 1, 3, 3]") && t.contains("give an output of -4x-4"), t);
    }

    @Test void geometryErrorsPrintTheValuesGivenNotZeros() {
        // A compact constructor's fields are still 0 when it throws, so "this" printed every field as 0.
        String c = message(() -> new Conv2d(0, 1, 2, 2, 1, 1));
        assertEquals("conv2d: stride and dilation must be >= 1 and padding >= 0, got stride 0x1, padding 2x2, dilation 1x1", c);
        String p = message(() -> new Pool2d(2, 2, 2, 2, 3, 0, true));
        assertEquals("pool2d: padding must be at most half the window, got window 2x2, stride 2x2, padding 3x0", p);
    }

    @Test void reshapeWithInferredDimensionsNamesTheOp() {
        assertEquals(Shape.of(3, 4), Checks.reshapeDims(Shape.of(2, 6), new int[]{3, -1}));
        assertTrue(message(() -> Checks.reshapeDims(Shape.of(2, 6), new int[]{-1, -1})).startsWith("reshape: cannot reshape [2, 6] to [-1, -1]: at most one"));
        assertTrue(message(() -> Checks.reshapeDims(Shape.of(2, 6), new int[]{5, -1})).contains("does not divide it"));
        assertTrue(message(() -> Checks.reshapeDims(Shape.of(2, 6), new int[]{-2, 6})).contains("must be >= 0"));
        assertTrue(message(() -> Checks.axis("softmax", Shape.of(2, 3), 2)).startsWith("softmax: axis 2 is out of range for shape [2, 3]"));
    }

    @Test void threadCountsAreBoundedAndNamed() {
        int max = ThreadCount.max();
        assertEquals(4 * Runtime.getRuntime().availableProcessors(), max);
        assertEquals(max, ThreadCount.parse("--threads", " " + max + " "));
        assertTrue(message(() -> ThreadCount.parse("KNETJ_THREADS", "abc")).equals("KNETJ_THREADS: expected a thread count from 1 to " + max + ", got 'abc'"));
        assertTrue(message(() -> ThreadCount.check("--threads", 0)).startsWith("--threads: expected a thread count from 1 to " + max));
        assertTrue(message(() -> ThreadCount.check("--threads", 100_000)).endsWith("got 100000"));
    }
}
