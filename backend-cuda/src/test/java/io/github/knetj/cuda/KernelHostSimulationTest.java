package io.github.knetj.cuda;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CUDA kernels' arithmetic, checked without a GPU: {@code src/test/cuda/kernels_test.cpp} compiles the very
 * {@code .cu} sources as host C++ ({@code cuda_host.h} runs each CUDA thread as a host thread, with barriers for
 * {@code __syncthreads}) and compares every kernel, in float32 and float64, with naive loops, including the conv2d
 * sequence CudaConvolution queues. It needs {@code g++} (C++20); without it the test is skipped with that reason.
 * What it cannot check: the JCuda calls, launch limits and timing of a real device.
 */
class KernelHostSimulationTest {
    @Test
    void everyKernelMatchesNaiveLoopsOnTheHost() throws IOException, InterruptedException {
        Assumptions.assumeTrue(PtxAssemblyTest.onPath("g++"), () -> {
            System.err.println("[knetj] skipping the host simulation of the CUDA kernels: g++ is not on the PATH");
            return "g++ is not on the PATH";
        });
        Path dir = Files.createDirectories(Path.of("target/host-sim"));
        Path exe = dir.resolve("kernels_test");
        String compile = run(List.of("g++", "-std=c++20", "-O1", "-pthread", "-Isrc/test/cuda", "-o", exe.toString(), "src/test/cuda/kernels_test.cpp"), 300);
        assertTrue(Files.isExecutable(exe), "g++ failed:\n" + compile);
        String out = run(List.of(exe.toAbsolutePath().toString()), 600);
        String[] lines = out.strip().split("\n");
        String summary = lines[lines.length - 1];
        System.err.println("[knetj] CUDA kernels on the host simulator: " + summary);
        StringBuilder failed = new StringBuilder();
        for (String l : lines) if (l.startsWith("FAIL")) failed.append(l).append('\n');
        assertEquals("", failed.toString(), "kernels that disagree with the naive loops");
        assertTrue(summary.endsWith(", 0 failed") && !summary.startsWith("0 checks"), summary);
    }

    private static String run(List<String> command, int seconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), String.join(" ", command) + " timed out");
        assertEquals(0, p.exitValue(), String.join(" ", command) + " exited with " + p.exitValue() + ":\n" + out);
        return out;
    }
}
