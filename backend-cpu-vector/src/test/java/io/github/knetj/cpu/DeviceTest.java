package io.github.knetj.cpu;

import io.github.knetj.api.Backend;
import io.github.knetj.api.BackendProvider;
import io.github.knetj.api.Backends;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the backend says about itself: registration, the device string with SIMD on and off, and life without the Vector API module. */
class DeviceTest {
    @Test void registeredAsCpuWithPriority100() {
        BackendProvider p = ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(x -> x.name().equals("cpu")).findFirst().orElseThrow();
        assertEquals(100, p.priority());
        assertTrue(p.availability().available(), p.availability().toString());
        Backend b = Backends.get("cpu");
        assertEquals("cpu", b.name());
    }

    @Test void deviceStringSaysThreadsAndSimd() {
        CpuBackend on = new CpuBackend(true);
        assertTrue(on.simd());
        assertTrue(on.device().contains("SIMD") && on.device().contains("-bit (FloatVector.SPECIES_PREFERRED)"), on.device());
        assertTrue(on.device().startsWith(CpuBackend.threads() + " thread"), on.device());
        CpuBackend off = new CpuBackend(false);
        assertTrue(!off.simd() && off.device().endsWith("SIMD off (new CpuBackend(false))"), off.device());
    }

    @Test void simdPropertyTurnsSimdOff() {
        String before = System.getProperty("knetj.simd");
        System.setProperty("knetj.simd", "false");
        try {
            CpuBackend b = new CpuBackend();
            assertTrue(!b.simd() && b.device().endsWith("SIMD off (knetj.simd=false)"), b.device());
        } finally {
            if (before == null) System.clearProperty("knetj.simd");
            else System.setProperty("knetj.simd", before);
        }
    }

    /**
     * A JVM started without --add-modules jdk.incubator.vector still runs every op group, SIMD off with the reason; a
     * Vector API class loaded by mistake would fail there with NoClassDefFoundError.
     */
    @Test void runsWithoutTheVectorModule() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), NoVectorModuleMain.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "child JVM did not finish: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("SIMD off (module jdk.incubator.vector is not in the boot layer"), out);
        assertTrue(out.contains("ok"), out);
    }
}
