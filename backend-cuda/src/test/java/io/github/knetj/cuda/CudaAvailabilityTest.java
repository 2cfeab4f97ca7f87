package io.github.knetj.cuda;

import io.github.knetj.api.Availability;
import io.github.knetj.api.BackendUnavailableException;
import jcuda.driver.CUresult;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every way the CUDA backend cannot start becomes a reason, never an exception; the answer is cached. */
class CudaAvailabilityTest {
    private static Availability probe(FakeDriver d) { return new CudaBackendProvider(d).availability(); }

    @Test
    void noDriverLibrary() {
        FakeDriver d = new FakeDriver();
        d.loadError = new UnsatisfiedLinkError("/tmp/libJCudaDriver-12.0.0-linux-x86_64.so: libcuda.so.1: cannot open shared object file");
        Availability a = probe(d);
        assertFalse(a.available());
        assertEquals("unavailable: no libcuda.so.1 (the NVIDIA driver is not installed); " + PtxHeader.REQUIREMENT, a.toString());
    }

    @Test
    void missingNatives() {
        FakeDriver d = new FakeDriver();
        d.loadError = new NoClassDefFoundError("jcuda/driver/JCudaDriver");
        Availability a = probe(d);
        assertFalse(a.available());
        assertTrue(a.reason().startsWith("JCuda's native library did not load"), a.reason());
    }

    @Test
    void noDevice() {
        FakeDriver d = new FakeDriver();
        d.initResult = CUresult.CUDA_ERROR_NO_DEVICE;
        assertEquals("unavailable: no CUDA device (the NVIDIA driver is installed but found no GPU)", probe(d).toString());
        FakeDriver none = new FakeDriver();
        none.devices = 0;
        assertEquals(probe(d).reason(), probe(none).reason());
    }

    @Test
    void oldDriver() {
        FakeDriver d = new FakeDriver();
        d.version = 11080;
        assertEquals("unavailable: the NVIDIA driver supports CUDA 11.8 only; " + PtxHeader.REQUIREMENT, probe(d).toString());
    }

    @Test
    void mismatchedDriver() {
        FakeDriver d = new FakeDriver();
        d.initResult = CUresult.CUDA_ERROR_SYSTEM_DRIVER_MISMATCH;
        Availability a = probe(d);
        assertFalse(a.available());
        assertTrue(a.reason().contains("CUDA_ERROR_SYSTEM_DRIVER_MISMATCH") && a.reason().contains(PtxHeader.REQUIREMENT), a.reason());
    }

    @Test
    void oldGpu() {
        FakeDriver d = new FakeDriver();
        d.capability = new int[] {6, 1};
        assertEquals("unavailable: NVIDIA H100 80GB HBM3 has compute capability 6.1; the kernels need 7.5 (Turing) or newer", probe(d).toString());
    }

    @Test
    void driverThrows() {
        FakeDriver d = new FakeDriver();
        d.initError = new IllegalStateException("boom");
        Availability a = probe(d);
        assertFalse(a.available());
        assertTrue(a.reason().contains("boom"), a.reason());
    }

    @Test
    void goodMachinesDescribeTheDevice() {
        FakeDriver d = new FakeDriver();
        assertEquals("available: NVIDIA H100 80GB HBM3 (sm_90, 80.0 GiB), driver CUDA 13.0", probe(d).toString());
        d.version = 12040;
        assertEquals("available: NVIDIA H100 80GB HBM3 (sm_90, 80.0 GiB), driver CUDA 12.4, PTX loaded as ISA 8.0", probe(d).toString());
    }

    @Test
    void theAnswerIsCached() {
        FakeDriver d = new FakeDriver();
        d.initResult = CUresult.CUDA_ERROR_NO_DEVICE;
        CudaBackendProvider p = new CudaBackendProvider(d);
        assertSame(p.availability(), p.availability());
        assertEquals(1, d.inits);
    }

    @Test
    void createOnAnUnavailableMachineThrowsWithTheReason() {
        FakeDriver d = new FakeDriver();
        d.initResult = CUresult.CUDA_ERROR_NO_DEVICE;
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> new CudaBackendProvider(d).create());
        assertTrue(e.getMessage().contains("no CUDA device"), e.getMessage());
    }

    /** The real provider on this machine: whatever it finds, it answers without throwing, and says why if it cannot start. */
    @Test
    void theRealProviderNeverThrows() {
        CudaBackendProvider p = new CudaBackendProvider();
        assertEquals("cuda", p.name());
        assertEquals(300, p.priority());
        Availability a = p.availability();
        assertSame(a, new CudaBackendProvider().availability(), "probed once per process");
        System.err.println("[knetj] cuda on this machine: " + a);
        if (!libcudaPresent()) {
            assertFalse(a.available());
            assertTrue(a.reason().startsWith("no libcuda.so.1 (the NVIDIA driver is not installed)"), a.reason());
        } else if (!a.available()) {
            assertFalse(a.reason().isBlank());
        }
    }

    /** Where distributions and the NVIDIA installer put libcuda.so.1. */
    static boolean libcudaPresent() {
        for (String dir : List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/nvidia/lib64", "/usr/lib/wsl/lib"))
            if (Files.exists(Path.of(dir, "libcuda.so.1"))) return true;
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) for (String dir : ld.split(":")) if (!dir.isEmpty() && Files.exists(Path.of(dir, "libcuda.so.1"))) return true;
        return false;
    }
}
