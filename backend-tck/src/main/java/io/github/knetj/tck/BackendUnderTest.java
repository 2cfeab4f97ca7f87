package io.github.knetj.tck;

import io.github.knetj.api.Backend;
import io.github.knetj.api.BackendUnavailableException;
import io.github.knetj.api.Backends;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Picks the backend a test runs on. An unavailable backend skips the test with its reason (printed to stderr, so the
 * skip is visible in the build log) unless it is listed as required in the environment variable
 * {@code KNETJ_REQUIRE_BACKENDS} or the system property {@code knetj.require.backends} (comma-separated, e.g.
 * {@code cpu,opencl} in CI), in which case the test fails.
 */
public final class BackendUnderTest {
    private BackendUnderTest() {}

    /** The backend of this name through {@link Backends}, or a skipped (or, if required, failed) test with the reason. */
    public static Backend get(String name) {
        try {
            return Backends.get(name);
        } catch (BackendUnavailableException e) {
            return unavailable(name, e.getMessage());
        }
    }

    /** Every backend that can start here, for parameterised tests. */
    public static List<Backend> available() { return Backends.available(); }

    /** The backends that must not be skipped: {@code KNETJ_REQUIRE_BACKENDS} and {@code knetj.require.backends} together. */
    public static Set<String> required() {
        return Stream.of(System.getenv("KNETJ_REQUIRE_BACKENDS"), System.getProperty("knetj.require.backends"))
                .filter(s -> s != null && !s.isBlank())
                .flatMap(s -> Arrays.stream(s.split(",")))
                .map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    }

    /** Fails when {@code name} is required, else aborts (skips) the test; either way the reason is reported. */
    public static <T> T unavailable(String name, String reason) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (required().contains(n))
            return Assertions.fail("backend " + n + " is required (KNETJ_REQUIRE_BACKENDS / knetj.require.backends) but unavailable: " + reason);
        System.getLogger("io.github.knetj.tck").log(System.Logger.Level.WARNING, "skipping tests of backend " + n + ": " + reason);
        return Assumptions.abort("backend " + n + " unavailable: " + reason);
    }
}
