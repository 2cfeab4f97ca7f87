package io.github.knetj.tck;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Backend selection for tests: found, skipped with the reason, or failed when required. */
class BackendUnderTestTest {
    @Test
    void findsTheReferenceByName() {
        assertEquals("reference", BackendUnderTest.get("reference").name());
        assertTrue(BackendUnderTest.available().stream().anyMatch(b -> b.name().equals("reference")));
    }

    @Test
    void anUnavailableBackendSkipsWithTheReason() {
        TestAbortedException e = assertThrows(TestAbortedException.class, () -> BackendUnderTest.get("no-such-backend"));
        assertTrue(e.getMessage().contains("backend no-such-backend unavailable") && e.getMessage().contains("no provider of that name"), e.getMessage());
    }

    @Test
    void aRequiredBackendThatIsUnavailableFails() {
        String before = System.getProperty("knetj.require.backends");
        try {
            System.setProperty("knetj.require.backends", "cpu, no-such-backend");
            AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> BackendUnderTest.get("no-such-backend"));
            assertTrue(e.getMessage().contains("required") && e.getMessage().contains("no provider"), e.getMessage());
        } finally {
            if (before == null) System.clearProperty("knetj.require.backends");
            else System.setProperty("knetj.require.backends", before);
        }
    }
}
