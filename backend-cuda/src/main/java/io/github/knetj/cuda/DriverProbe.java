package io.github.knetj.cuda;

import io.github.knetj.api.Availability;
import jcuda.driver.CUresult;

import java.util.Locale;

/**
 * Decides whether the CUDA backend can start here, turning every way it cannot into a reason: JCuda's natives or
 * {@code libcuda.so.1} missing (a {@link LinkageError}), no GPU, a driver older than the kernels need, a GPU older than
 * compute capability 7.5, or any other driver failure. It never throws.
 */
final class DriverProbe {
    /** The PTX targets compute_75 (Turing): the oldest architecture nvcc 13 still compiles for. */
    static final int MIN_COMPUTE_CAPABILITY = 75;

    private DriverProbe() {}

    /** The availability of device 0, the device the backend uses. */
    static Availability probe(DriverCalls driver) {
        try {
            driver.load();
        } catch (LinkageError e) {
            return Availability.no(linkReason(e));
        }
        try {
            int r = driver.init();
            if (r == CUresult.CUDA_ERROR_NO_DEVICE)
                return Availability.no("no CUDA device (the NVIDIA driver is installed but found no GPU)");
            if (r == CUresult.CUDA_ERROR_SYSTEM_DRIVER_MISMATCH || r == CUresult.CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE)
                return Availability.no("the NVIDIA kernel driver and libcuda.so.1 do not match or are too old (cuInit: "
                        + CUresult.stringFor(r) + "); " + PtxHeader.REQUIREMENT);
            if (r != CUresult.CUDA_SUCCESS)
                return Availability.no("cuInit failed with " + CUresult.stringFor(r) + "; " + PtxHeader.REQUIREMENT);
            int version = driver.driverVersion();
            if (version < PtxHeader.MIN_DRIVER_VERSION)
                return Availability.no("the NVIDIA driver supports CUDA " + PtxHeader.cudaVersion(version) + " only; " + PtxHeader.REQUIREMENT);
            if (driver.deviceCount() < 1)
                return Availability.no("no CUDA device (the NVIDIA driver is installed but found no GPU)");
            String name = driver.deviceName(0);
            int[] cc = driver.computeCapability(0);
            if (cc[0] * 10 + cc[1] < MIN_COMPUTE_CAPABILITY)
                return Availability.no(name + " has compute capability " + cc[0] + "." + cc[1]
                        + "; the kernels need 7.5 (Turing) or newer");
            return Availability.yes(describe(name, cc, driver.totalMemory(0), version));
        } catch (RuntimeException | LinkageError e) {
            return Availability.no("the CUDA driver failed while probing: " + e);
        }
    }

    /** "NVIDIA H100 80GB HBM3 (sm_90, 79.1 GiB), driver CUDA 13.0". */
    static String describe(String name, int[] cc, long bytes, int version) {
        String mem = String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        String isa = version < 13000 ? ", PTX loaded as ISA 8.0" : "";
        return name + " (sm_" + cc[0] + cc[1] + ", " + mem + "), driver CUDA " + PtxHeader.cudaVersion(version) + isa;
    }

    /** Why the natives did not load: libcuda.so.1 missing is by far the most common case, and says what to install. */
    static String linkReason(LinkageError e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) all.append(t.getMessage()).append(' ');
        String text = all.toString();
        if (text.contains("libcuda"))
            return "no libcuda.so.1 (the NVIDIA driver is not installed); " + PtxHeader.REQUIREMENT;
        return "JCuda's native library did not load (" + e + "); the jcuda-natives jar for this OS and CPU must be on the class path";
    }
}
