package io.github.knetj.viz;

import io.github.knetj.api.Backends;
import io.github.knetj.api.DType;
import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Defaults;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.github.knetj.autograd.AutoGrad.*;
import static io.github.knetj.autograd.Ops.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The graph picture has a box per value and an arrow per input edge, and long chains need no deep recursion. */
class GraphsTest {
    /** The backend the other tests of this JVM expect, put back after each test. */
    private final io.github.knetj.api.Backend before = Defaults.backend();

    @AfterEach
    void restoreDefaults() {
        Defaults.backend(before);
        Defaults.dtype(DType.FLOAT32);
    }

    private static int count(String s, String re) {
        Matcher m = Pattern.compile(re).matcher(s);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    @Test
    void oneBoxPerValueAndOneArrowPerEdge() {
        Defaults.backend(Backends.get("reference"));
        Defaults.dtype(DType.FLOAT64);
        try {
            Param w = param(new double[]{0.5, -1, 2}, 3);
            Value x = array(new double[]{1, 2, 3}, 3);
            Tape t = diff(() -> sum(tanh(mul(w, x))));
            String svg = Graphs.svg(t, Map.of(w, "w", x, "x<1>"));
            // Values: w, x, mul, tanh, sum; edges: w→mul, x→mul, mul→tanh, tanh→sum.
            assertEquals(5, count(svg, "<rect x="));
            assertEquals(4, count(svg, "<line "));
            assertTrue(svg.contains(">w (param)<") && svg.contains(">x&lt;1&gt; (const)<"), svg);
            assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));

            String deep = Graphs.svg(diff(() -> {
                Value v = x;
                for (int i = 0; i < 20_000; i++) v = add(v, w);   // deeper than a recursive walk's stack would allow
                return sum(v);
            }));
            assertEquals(20_003, count(deep, "<rect x="));
        } finally {
            Defaults.dtype(DType.FLOAT32);
        }
    }
}
