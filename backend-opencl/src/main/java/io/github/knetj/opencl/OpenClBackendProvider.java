package io.github.knetj.opencl;

import io.github.knetj.api.Availability;
import io.github.knetj.api.Backend;
import io.github.knetj.api.BackendProvider;
import io.github.knetj.api.BackendUnavailableException;
import org.jocl.CLException;

import java.util.ArrayList;
import java.util.List;

/**
 * The service-loader entry of the OpenCL backend. Availability enumerates devices once and caches the answer or
 * the reason it cannot start; priority is 200 on a GPU and 50 on a CPU device, below the Vector API backend.
 */
public final class OpenClBackendProvider implements BackendProvider {
    /** What a missing ICD loader means on the machines we know, said in the reason. */
    static final String NO_LIBRARY = "JOCL could not load libOpenCL.so (on Debian: apt-get install ocl-icd-opencl-dev; "
            + "and an ICD such as pocl-opencl-icd)";

    private final String selector;
    private Availability availability;
    private OpenClDevices.Device device;

    /** The provider ServiceLoader makes: the device selector comes from knetj.opencl.device / KNETJ_OPENCL_DEVICE. */
    public OpenClBackendProvider() { this(OpenClDevices.selector()); }

    /** A provider with an explicit device selector (null: GPU first, then the first device). */
    OpenClBackendProvider(String selector) { this.selector = selector; }

    @Override public String name() { return OpenClBackend.NAME; }

    @Override public int priority() { return availability().available() && device.isGpu() ? 200 : 50; }

    @Override public synchronized Availability availability() {
        if (availability == null) availability = probe();
        return availability;
    }

    @Override public Backend create() {
        Availability a = availability();
        if (!a.available()) throw new BackendUnavailableException("backend 'opencl' is unavailable: " + a.reason());
        return new OpenClBackend(device);
    }

    /**
     * Every OpenCL device found on every platform, one line each ("0:0 name (platform), CPU, ..., fp64"), chosen or
     * not, for {@code ./knetj backends}; empty when JOCL cannot load or finds no platform ({@link #availability()} says why).
     */
    @Override public List<String> devices() { return listDevices(); }

    /** The static form of {@link #devices()}, for callers without a provider instance. */
    public static List<String> listDevices() {
        try {
            List<String> out = new ArrayList<>();
            for (OpenClDevices.Device d : OpenClDevices.all()) out.add(d.describe());
            return out;
        } catch (LinkageError | CLException e) {
            return List.of();
        }
    }

    private Availability probe() {
        try {
            List<OpenClDevices.Device> all = OpenClDevices.all();
            if (all.isEmpty()) return Availability.no("no OpenCL device on any platform (install an ICD such as pocl-opencl-icd)");
            device = OpenClDevices.choose(all, selector);
            if (device == null) {
                List<String> names = all.stream().map(OpenClDevices.Device::describe).toList();
                return Availability.no("no OpenCL device matches " + OpenClDevices.PROPERTY + "/" + OpenClDevices.ENV + "='" + selector
                        + "' (platform:device index, flat index or name substring; found " + names + ")");
            }
            return Availability.yes(device.describe());
        } catch (LinkageError e) {
            return Availability.no(NO_LIBRARY + ": " + e.getMessage());
        } catch (CLException e) {
            return Availability.no(noPlatform(e));
        } catch (RuntimeException e) {
            return Availability.no("OpenCL failed while listing devices: " + e);
        }
    }

    private static String noPlatform(CLException e) {
        return "no OpenCL platform (the ICD loader found none; install one such as pocl-opencl-icd): " + e.getMessage();
    }
}
