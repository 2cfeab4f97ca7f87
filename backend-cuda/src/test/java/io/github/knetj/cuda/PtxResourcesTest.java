package io.github.knetj.cuda;

import io.github.knetj.api.DType;
import io.github.knetj.api.UnaryOp;
import io.github.knetj.api.BinaryOp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed PTX matches the CUDA C sources: one module per {@code .cu} file, built from the current source
 * (its recorded hash), declaring every entry point of the Java kernel table, with op codes in the order the Java
 * switches assume. Runs from the module directory (Maven's working directory for tests).
 */
class PtxResourcesTest {
    static final Path SOURCES = Path.of("src/main/cuda");
    private static final Pattern ENTRY = Pattern.compile("(?m)^\\.visible \\.entry (\\w+)\\(");

    /** sha256 of the .cu file followed by common.cuh, as scripts/build-ptx.sh computes it. */
    static String sourceHash(String module) throws IOException, NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(Files.readAllBytes(SOURCES.resolve(module + ".cu")));
        sha.update(Files.readAllBytes(SOURCES.resolve("common.cuh")));
        return HexFormat.of().formatHex(sha.digest());
    }

    static Set<String> entries(String ptx) {
        Set<String> names = new TreeSet<>();
        Matcher m = ENTRY.matcher(ptx);
        while (m.find()) names.add(m.group(1));
        return names;
    }

    @Test
    void everyCudaFileIsAModule() throws IOException {
        Set<String> files;
        try (Stream<Path> s = Files.list(SOURCES)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cu")).map(n -> n.substring(0, n.length() - 3)).collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> modules = Arrays.stream(Kernel.Module.values()).map(m -> m.file).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(files, modules, "src/main/cuda/*.cu and Kernel.Module must list the same modules");
    }

    @Test
    void everyPtxIsBuiltFromTheCurrentSource() throws Exception {
        for (Kernel.Module m : Kernel.Module.values()) {
            String ptx = CudaContext.readPtx(m);
            assertTrue(ptx.contains("// knetj-source-sha256: " + sourceHash(m.file) + "\n"),
                    m.file + ".ptx is stale: src/main/cuda/" + m.file + ".cu (or common.cuh) changed since; run scripts/build-ptx.sh");
            assertEquals(80, PtxHeader.minIsa(ptx, m.file), m.file + ".ptx must record that it assembles as ISA 8.0");
        }
    }

    @Test
    void everyKernelOfTheTableIsDeclared() {
        for (Kernel k : Kernel.values()) {
            Set<String> declared = entries(CudaContext.readPtx(k.module));
            for (DType d : DType.values())
                assertTrue(declared.contains(k.entry(d)), k.module.file + ".ptx lacks entry " + k.entry(d) + "; it declares " + declared);
        }
    }

    @Test
    void noModuleDeclaresKernelsTheTableLacks() {
        for (Kernel.Module m : Kernel.Module.values()) {
            Set<String> used = new TreeSet<>();
            for (Kernel k : Kernel.values()) if (k.module == m) for (DType d : DType.values()) used.add(k.entry(d));
            assertEquals(used, entries(CudaContext.readPtx(m)), m.file + ".ptx declares kernels that Kernel does not name (dead kernels)");
        }
    }

    /** The op-code enums of elementwise.cu list the ops in the order CudaElementwise.code() numbers them. */
    @Test
    void opCodesMatchTheCudaEnums() throws IOException {
        String cu = Files.readString(SOURCES.resolve("elementwise.cu"));
        List<String> unary = enumNames(cu, "UnaryCode", "U_"), binary = enumNames(cu, "BinaryCode", "B_");
        assertEquals(UnaryOp.values().length, unary.size());
        for (UnaryOp op : UnaryOp.values()) assertEquals(op.name(), unary.get(CudaElementwise.code(op)));
        assertEquals(BinaryOp.values().length, binary.size());
        for (BinaryOp op : BinaryOp.values()) assertEquals(op.name(), binary.get(CudaElementwise.code(op)));
    }

    private static List<String> enumNames(String source, String enumName, String prefix) {
        Matcher m = Pattern.compile("enum " + enumName + "\\s*\\{([^}]*)}").matcher(source);
        assertTrue(m.find(), "enum " + enumName + " not found in elementwise.cu");
        return Arrays.stream(m.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(s -> s.substring(prefix.length())).toList();
    }
}
