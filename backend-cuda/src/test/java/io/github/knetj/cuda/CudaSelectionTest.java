package io.github.knetj.cuda;

import io.github.knetj.api.Backend;
import io.github.knetj.api.BackendProvider;
import io.github.knetj.api.BackendUnavailableException;
import io.github.knetj.api.Backends;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CUDA jar on the class path next to another backend (the TCK's reference backend, a test dependency): it is
 * found by ServiceLoader, and when it cannot start, naming it fails with its reason while the other backend and
 * {@code auto} selection work as if it were absent.
 */
class CudaSelectionTest {
    @Test
    void serviceLoaderFindsBothProviders() {
        List<String> names = Backends.providers().stream().map(BackendProvider::name).toList();
        assertTrue(names.contains("cuda") && names.contains("reference"), names.toString());
        assertEquals("cuda", Backends.providers().get(0).name(), "priority 300 ranks first: " + names);
    }

    @Test
    void anUnavailableCudaDoesNotBreakOtherBackends() {
        Backend reference = Backends.get("reference");
        assertEquals("reference", reference.name());
        BackendProvider cuda = Backends.providers().stream().filter(p -> p.name().equals("cuda")).findFirst().orElseThrow();
        if (cuda.availability().available()) {
            assertEquals("cuda", Backends.get("auto").name());
            return;
        }
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Backends.get("cuda"));
        assertTrue(e.getMessage().contains(cuda.availability().reason()), e.getMessage());
        assertNotEquals("cuda", Backends.get("auto").name());
    }
}
