package io.github.knetj.examples;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NearestTest {
    @Test void suggestsOnlyANameThatIsClose() {
        assertEquals(0, Nearest.distance("adam", "adam"));
        assertEquals(1, Nearest.distance("adma", "adam"));
        assertEquals(3, Nearest.distance("kitten", "sitting"));
        assertEquals("; did you mean adam?", Nearest.suggestion("Adma", List.of("sgd", "adam", "adamw")));
        assertEquals("; did you mean tanh?", Nearest.suggestion("tanhh", List.of("tanh", "exp")));
        assertEquals("; did you mean lenet?", Nearest.suggestion("lenett", List.of("lenet", "mlp")));
        assertEquals("", Nearest.suggestion("zzzzzz", List.of("sgd", "adam")));
    }
}
