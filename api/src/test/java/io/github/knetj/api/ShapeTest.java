package io.github.knetj.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The element counts before and after an axis, which softmax and the reductions walk by. */
class ShapeTest {
    @Test void outerAndInnerMultiplyTheDimensionsOnEachSide() {
        Shape s = Shape.of(2, 3, 4, 5);
        assertEquals(1, s.outer(0));
        assertEquals(60, s.inner(0));
        assertEquals(6, s.outer(2));
        assertEquals(5, s.inner(2));
        assertEquals(24, s.outer(-1));
        assertEquals(1, s.inner(-1));
        assertThrows(IllegalArgumentException.class, () -> s.outer(4));
    }
}
