package io.github.knetj.cuda;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PTX ISA header of a kernel module, and its rewriting for older drivers. nvcc 13 writes {@code .version 9.0},
 * which only CUDA 13 drivers load; {@code scripts/build-ptx.sh} checks that every module also assembles with the
 * header lowered to the version it records as {@code // knetj-min-isa: 8.0}, so on a CUDA 12 driver the loader
 * rewrites the header to that version instead of refusing to start.
 */
final class PtxHeader {
    /** The oldest driver the kernels load on: CUDA 12.0 reads PTX ISA 8.0. */
    static final int MIN_DRIVER_VERSION = 12000;

    /** What users read in availability reasons and the README. */
    static final String REQUIREMENT = "KnetJ's CUDA backend needs an NVIDIA driver with CUDA >= 12.0 (r525 or newer)";

    private static final Pattern VERSION = Pattern.compile("(?m)^\\.version (\\d+)\\.(\\d+)\\s*$");
    private static final Pattern MIN_ISA = Pattern.compile("(?m)^// knetj-min-isa: (\\d+)\\.(\\d+)\\s*$");

    /** The newest PTX ISA each driver generation reads, from NVIDIA's PTX ISA release notes (key: cuDriverGetVersion). */
    private static final TreeMap<Integer, Integer> MAX_ISA_BY_DRIVER = new TreeMap<>(Map.of(
            12000, 80, 12010, 81, 12020, 82, 12030, 83, 12040, 84, 12050, 85, 12080, 87, 12090, 88, 13000, 90));

    private PtxHeader() {}

    /** The ISA of the {@code .version} line as major·10 + minor (90 for 9.0); an error when the PTX has none. */
    static int isa(String ptx, String file) {
        Matcher m = VERSION.matcher(ptx);
        if (!m.find()) throw new IllegalStateException("cuda: " + file + " has no '.version X.Y' line; is it PTX?");
        return Integer.parseInt(m.group(1)) * 10 + Integer.parseInt(m.group(2));
    }

    /** The lowest ISA the module was checked to assemble with (its {@code knetj-min-isa} line), else its own ISA. */
    static int minIsa(String ptx, String file) {
        Matcher m = MIN_ISA.matcher(ptx);
        return m.find() ? Integer.parseInt(m.group(1)) * 10 + Integer.parseInt(m.group(2)) : isa(ptx, file);
    }

    /** The newest ISA a driver reads (0 below CUDA 12.0, whose ISAs the kernels were never checked with). */
    static int maxIsaForDriver(int driverVersion) {
        Map.Entry<Integer, Integer> e = MAX_ISA_BY_DRIVER.floorEntry(driverVersion);
        return e == null ? 0 : e.getValue();
    }

    /**
     * The module as this driver can load it: unchanged when the driver reads its ISA, else with the header lowered
     * to the module's minimum ISA; an error naming both versions when even that is too new.
     */
    static String forDriver(String ptx, int driverVersion, String file) {
        int have = isa(ptx, file), max = maxIsaForDriver(driverVersion);
        if (have <= max) return ptx;
        int min = minIsa(ptx, file);
        if (min > max)
            throw new IllegalStateException("cuda: " + file + " needs PTX ISA " + format(min) + " but the driver (CUDA "
                    + cudaVersion(driverVersion) + ") reads at most " + (max == 0 ? "an ISA older than 8.0" : format(max)) + "; " + REQUIREMENT);
        return VERSION.matcher(ptx).replaceFirst(".version " + min / 10 + "." + min % 10);
    }

    /** "12.4" for 12040. */
    static String cudaVersion(int driverVersion) { return driverVersion / 1000 + "." + driverVersion % 1000 / 10; }

    private static String format(int isa) { return isa / 10 + "." + isa % 10; }
}
