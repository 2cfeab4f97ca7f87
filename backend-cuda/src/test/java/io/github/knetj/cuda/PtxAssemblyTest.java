package io.github.knetj.cuda;

import jcuda.nvptxcompiler.JNvPTXCompiler;
import jcuda.nvptxcompiler.nvPTXCompileResult;
import jcuda.nvptxcompiler.nvPTXCompilerHandle;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The PTX assembles to machine code without a GPU: through JCuda's bundled PTX compiler (nvPTXCompiler of CUDA 12.0,
 * which reads ISA up to 8.0, as a CUDA 12.0 driver does) with the header lowered as the loader lowers it, and, where
 * the CUDA toolkit's {@code ptxas} is on the PATH, as committed (ISA 9.0).
 */
class PtxAssemblyTest {
    /** Compiles PTX text with JCuda's nvPTXCompiler; returns the result code and the error log. */
    static String[] compileWithJcuda(String ptx, String arch) {
        byte[] src = Arrays.copyOf(ptx.getBytes(StandardCharsets.US_ASCII), ptx.length() + 1);
        nvPTXCompilerHandle h = new nvPTXCompilerHandle();
        JNvPTXCompiler.nvPTXCompilerCreate(h, src.length, src);
        try {
            int r = JNvPTXCompiler.nvPTXCompilerCompile(h, 1, new String[] {"--gpu-name=" + arch});
            long[] size = new long[1];
            JNvPTXCompiler.nvPTXCompilerGetErrorLogSize(h, size);
            byte[] log = new byte[(int) size[0] + 1];
            if (size[0] > 0) JNvPTXCompiler.nvPTXCompilerGetErrorLog(h, log);
            return new String[] {nvPTXCompileResult.stringFor(r), new String(log, 0, (int) size[0], StandardCharsets.UTF_8)};
        } finally {
            JNvPTXCompiler.nvPTXCompilerDestroy(h);
        }
    }

    @Test
    void jcudasPtxCompilerAssemblesTheLoweredModules() {
        for (Kernel.Module m : Kernel.Module.values()) {
            String lowered = PtxHeader.forDriver(CudaContext.readPtx(m), 12000, m.file + ".ptx");
            String[] r = compileWithJcuda(lowered, "sm_80");
            assertEquals(nvPTXCompileResult.stringFor(nvPTXCompileResult.NVPTXCOMPILE_SUCCESS), r[0], m.file + ".ptx as ISA 8.0: " + r[1]);
        }
    }

    /** Why the loader lowers the header: a CUDA 12.0 compiler (and driver) refuses ISA 9.0 as nvcc 13 writes it. */
    @Test
    void jcudasPtxCompilerRefusesIsa90() {
        String[] r = compileWithJcuda(CudaContext.readPtx(Kernel.Module.LAYOUT), "sm_80");
        assertNotEquals(nvPTXCompileResult.stringFor(nvPTXCompileResult.NVPTXCOMPILE_SUCCESS), r[0]);
    }

    @Test
    void ptxasAssemblesTheCommittedModules() throws IOException, InterruptedException {
        Assumptions.assumeTrue(onPath("ptxas"), () -> {
            System.err.println("[knetj] skipping the ptxas check: ptxas (CUDA toolkit) is not on the PATH");
            return "ptxas (CUDA toolkit) is not on the PATH";
        });
        Path dir = Files.createTempDirectory("knetj-ptx");
        for (Kernel.Module m : Kernel.Module.values()) {
            Path ptx = dir.resolve(m.file + ".ptx");
            Files.writeString(ptx, CudaContext.readPtx(m));
            Process p = new ProcessBuilder("ptxas", "-arch=sm_80", "-o", dir.resolve(m.file + ".cubin").toString(), ptx.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(true, p.waitFor(120, TimeUnit.SECONDS), "ptxas timed out on " + m.file);
            assertEquals(0, p.exitValue(), "ptxas -arch=sm_80 " + m.file + ".ptx: " + out);
        }
    }

    static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String d : path.split(":")) if (!d.isEmpty() && Files.isExecutable(Path.of(d, exe))) return true;
        return false;
    }
}
