package io.github.knetj.opencl;

import io.github.knetj.api.Availability;
import io.github.knetj.api.BackendUnavailableException;
import io.github.knetj.tck.BackendUnderTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Device listing, the selector rules, the priority by device type, and the reasons an unavailable backend gives. */
class OpenClDevicesTest {
    private static List<OpenClDevices.Device> devices() {
        OpenClBackendProvider p = new OpenClBackendProvider(null);
        Availability a = p.availability();
        if (!a.available()) BackendUnderTest.unavailable("opencl", a.reason());
        return OpenClDevices.all();
    }

    @Test
    void aSelectorMatchingNothingGivesAClearReason() {
        devices();
        OpenClBackendProvider p = new OpenClBackendProvider("no-such-device-xyz");
        Availability a = p.availability();
        assertFalse(a.available());
        assertTrue(a.reason().contains("no OpenCL device matches") && a.reason().contains("no-such-device-xyz")
                && a.reason().contains(OpenClDevices.PROPERTY), a.reason());
        assertSame(a, p.availability(), "the answer is cached");
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, p::create);
        assertTrue(e.getMessage().contains("no-such-device-xyz"), e.getMessage());
    }

    @Test
    void selectorsPickByIndicesOrName() {
        List<OpenClDevices.Device> all = devices();
        OpenClDevices.Device first = all.get(0);
        assertSame(first, OpenClDevices.choose(all, first.platformIndex() + ":" + first.deviceIndex()));
        assertSame(first, OpenClDevices.choose(all, "0"));
        assertSame(first, OpenClDevices.choose(all, first.name().substring(0, Math.min(6, first.name().length())).toUpperCase()));
        assertNull(OpenClDevices.choose(all, "99:99"));
        assertNull(OpenClDevices.choose(all, String.valueOf(all.size())));
    }

    @Test
    void gpusComeFirstAndCpuDevicesRankBelowTheVectorBackend() {
        List<OpenClDevices.Device> all = devices();
        OpenClDevices.Device chosen = OpenClDevices.choose(all, null);
        boolean anyGpu = all.stream().anyMatch(OpenClDevices.Device::isGpu);
        assertEquals(anyGpu, chosen.isGpu(), "a GPU is chosen whenever there is one");
        assertEquals(chosen.isGpu() ? 200 : 50, new OpenClBackendProvider(null).priority());
    }

    @Test
    void everyDeviceIsListed() {
        List<OpenClDevices.Device> all = devices();
        List<String> lines = new OpenClBackendProvider(null).devices();
        assertEquals(all.size(), lines.size());
        for (int i = 0; i < all.size(); i++) assertTrue(lines.get(i).contains(all.get(i).name()), lines.get(i));
    }
}
