package io.github.knetj.examples.cli;

import io.github.knetj.examples.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bad inputs that need a process of their own: environment variables (KNETJ_THREADS once made the CPU backend's
 * class fail to initialise: an ExceptionInInitializerError and no JSON line), and the real exit code of the JVM.
 */
class CliProcessTest {
    record Result(int code, List<String> out, String err) {}

    /** Runs the CLI in a new JVM with extra environment variables, within 60 s. */
    static Result knetj(Path dir, Map<String, String> env, String... argv) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(argv));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().remove("KNETJ_DEBUG");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("a hang: " + String.join(" ", argv));
        }
        Result r = new Result(p.exitValue(), Files.readAllLines(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
        Files.delete(dir.resolve("out.txt"));
        Files.delete(dir.resolve("err.txt"));
        return r;
    }

    private static String last(Result r) { return r.out().isEmpty() ? "" : r.out().get(r.out().size() - 1); }

    @Test
    void badThreadVariablesAreUsageErrorsNotCrashes(@TempDir Path dir) throws Exception {
        for (String bad : List.of("abc", "0", "-3", "100000")) {
            Result r = knetj(dir, Map.of("KNETJ_THREADS", bad), "backends");
            assertEquals(2, r.code(), bad + "\n" + r.err());
            assertTrue(r.err().contains("knetj backends: KNETJ_THREADS: expected a thread count from 1 to"), r.err());
            assertFalse(r.err().contains("\tat "), r.err());
            assertTrue(last(r).startsWith("{\"command\":\"backends\",\"status\":\"error\""), last(r));
        }
        Result r = knetj(dir, Map.of("KNETJ_THREADS", "abc"), "train", "mlp", "--threads", "0", "--epochs", "0");
        assertEquals(2, r.code(), r.err());
        assertEquals(List.of(), listing(dir));
    }

    @Test
    void anUnknownBackendInTheEnvironmentIsExitCodeThree(@TempDir Path dir) throws Exception {
        Result r = knetj(dir, Map.of("KNETJ_BACKEND", "bogus"), "train", "charlm", "--epochs", "1");
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("knetj train charlm: backend 'bogus' is unavailable: no provider of that name"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertTrue(last(r).startsWith("{\"command\":\"train charlm\",\"status\":\"error\",\"error_kind\":\"backend\""), last(r));
    }

    @Test
    void knetjDebugShowsTheTraceAndAFifoDoesNotHang(@TempDir Path dir) throws Exception {
        assertEquals(0, new ProcessBuilder("mkfifo", dir.resolve("p.safetensors").toString()).start().waitFor());
        Result quiet = knetj(dir, Map.of(), "train", "mlp", "--epochs", "0", "--load", "p.safetensors");
        assertEquals(2, quiet.code(), quiet.err());
        assertTrue(quiet.err().contains("--load p.safetensors: not a regular file (a FIFO, socket or device)"), quiet.err());
        Files.writeString(dir.resolve("bad.safetensors"), "garbage");
        Result debug = knetj(dir, Map.of("KNETJ_DEBUG", "1"), "train", "mlp", "--epochs", "0", "--load", "bad.safetensors");
        assertEquals(1, debug.code(), debug.err());
        assertTrue(debug.err().contains("\tat io.github.knetj."), debug.err());
        assertTrue(last(debug).contains("\"status\":\"error\""), last(debug));
    }

    /**
     * PoCL's device set-up installs LLVM's crash handlers over the JVM's (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGUSR2), after
     * which a safepoint poll now and then killed a process with status 139 and no hs_err file. ./knetj, knetj-spark, the
     * standalone cluster's workers and Surefire (this JVM) preload HotSpot's signal-chaining library, libjsig, which keeps
     * the JVM's handlers first. {@code -Xcheck:jni} names every handler replaced behind the JVM's back: with libjsig none,
     * without it (the control, which shows that the check sees the replacement) at least SIGSEGV's, once OpenCL runs.
     * (Under {@code -Xcheck:jni} JOCL's device queries come back empty: no name, 0 compute units. The backend is still
     * listed as available, which is all this test reads.)
     */
    @Test
    void theJvmKeepsItsSignalHandlersWhenOpenClStarts(@TempDir Path dir) throws Exception {
        String jsig = Path.of(System.getProperty("java.home"), "lib", "libjsig.so").toString();
        assertTrue(Files.isRegularFile(Path.of(jsig)), jsig);
        String inherited = System.getenv("LD_PRELOAD");
        assertTrue(inherited != null && inherited.contains("libjsig.so"), "Surefire's LD_PRELOAD: " + inherited);
        Result chained = knetj(dir, Map.of("JAVA_TOOL_OPTIONS", "-Xcheck:jni", "LD_PRELOAD", jsig), "backends");
        assertEquals(0, chained.code(), chained.err());
        // HotSpot prints the check's findings to its tty, which is standard output.
        String chainedLog = String.join("\n", chained.out()) + "\n" + chained.err();
        assertFalse(chainedLog.contains("handler modified"), chainedLog);
        boolean openCl = java.util.regex.Pattern.compile("\"name\":\"opencl\",\"priority\":\\d+,\"available\":true").matcher(last(chained)).find();
        String required = System.getenv().getOrDefault("KNETJ_REQUIRE_BACKENDS", "");
        assertTrue(openCl || !required.contains("opencl"), "KNETJ_REQUIRE_BACKENDS=" + required + " but: " + last(chained));
        if (openCl) {
            Result plain = knetj(dir, Map.of("JAVA_TOOL_OPTIONS", "-Xcheck:jni", "LD_PRELOAD", ""), "backends");
            String plainLog = String.join("\n", plain.out()) + "\n" + plain.err();
            assertTrue(plainLog.contains("SIGSEGV handler modified!"), "without libjsig, PoCL no longer replaces the JVM's "
                    + "SIGSEGV handler: the preload may be unneeded now\n" + plainLog);
        }
    }

    private static List<String> listing(Path dir) throws IOException {
        try (var s = Files.list(dir)) { return s.map(p -> p.getFileName().toString()).toList(); }
    }
}
