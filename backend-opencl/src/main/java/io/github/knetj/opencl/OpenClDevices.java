package io.github.knetj.opencl;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.jocl.CL.*;

/**
 * The OpenCL devices JOCL can see and the rule that picks one: the device named by {@code knetj.opencl.device} /
 * {@code KNETJ_OPENCL_DEVICE} (platform:device indices, a flat index, or a name substring), else a GPU first,
 * then an accelerator, then anything else.
 */
final class OpenClDevices {
    /** The system property that picks a device. */
    static final String PROPERTY = "knetj.opencl.device";
    /** The environment variable that picks a device when the property is unset. */
    static final String ENV = "KNETJ_OPENCL_DEVICE";

    private OpenClDevices() {}

    /** One OpenCL device and the facts the backend needs about it. */
    record Device(int platformIndex, int deviceIndex, cl_platform_id platform, cl_device_id id, String platformName,
                  String name, long type, boolean fp64, long globalMemBytes, int computeUnits, String version) {
        boolean isGpu() { return (type & (CL_DEVICE_TYPE_GPU | CL_DEVICE_TYPE_ACCELERATOR)) != 0; }

        String typeName() {
            if ((type & CL_DEVICE_TYPE_GPU) != 0) return "GPU";
            if ((type & CL_DEVICE_TYPE_ACCELERATOR) != 0) return "accelerator";
            if ((type & CL_DEVICE_TYPE_CPU) != 0) return "CPU";
            return "other";
        }

        /** "0:0 pthread-... (Portable Computing Language), CPU, 2 compute units, 125 GiB, OpenCL 3.0 PoCL, fp64". */
        String describe() {
            return platformIndex + ":" + deviceIndex + " " + name + " (" + platformName + "), " + typeName() + ", " + computeUnits
                    + " compute units, " + (globalMemBytes >> 20) + " MiB, " + version + ", " + (fp64 ? "fp64" : "no fp64");
        }
    }

    /**
     * Every device of every platform. Throws {@link LinkageError} when JOCL or libOpenCL.so cannot load, and
     * {@link org.jocl.CLException} when the ICD loader finds no platform.
     */
    static List<Device> all() {
        quietJocl();
        int[] count = new int[1];
        clGetPlatformIDs(0, null, count);
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        clGetPlatformIDs(platforms.length, platforms, null);
        List<Device> out = new ArrayList<>();
        for (int p = 0; p < platforms.length; p++) {
            int[] n = new int[1];
            // A platform without devices reports CL_DEVICE_NOT_FOUND, which is not an error here.
            if (clGetDeviceIDsQuiet(platforms[p], n) != CL_SUCCESS || n[0] == 0) continue;
            cl_device_id[] ids = new cl_device_id[n[0]];
            clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, ids.length, ids, null);
            String platformName = platformString(platforms[p], CL_PLATFORM_NAME);
            for (int d = 0; d < ids.length; d++) {
                String extensions = deviceString(ids[d], CL_DEVICE_EXTENSIONS);
                out.add(new Device(p, d, platforms[p], ids[d], platformName, deviceString(ids[d], CL_DEVICE_NAME),
                        deviceLong(ids[d], CL_DEVICE_TYPE), extensions.contains("cl_khr_fp64"),
                        deviceLong(ids[d], CL_DEVICE_GLOBAL_MEM_SIZE), (int) deviceInt(ids[d], CL_DEVICE_MAX_COMPUTE_UNITS),
                        deviceString(ids[d], CL_DEVICE_VERSION)));
            }
        }
        return out;
    }

    /** JOCL errors become exceptions, and its native library logs nothing (stdout belongs to Surefire and the CLI). */
    static void quietJocl() {
        CL.setLogLevel(CL.LogLevel.LOG_QUIET);
        CL.setExceptionsEnabled(true);
    }

    /** The selector from the system property, else the environment, else null. */
    static String selector() {
        String s = System.getProperty(PROPERTY);
        if (s == null || s.isBlank()) s = System.getenv(ENV);
        return s == null || s.isBlank() ? null : s.trim();
    }

    /**
     * The device the selector names, or with no selector the first GPU/accelerator, else the first device;
     * null when nothing matches.
     */
    static Device choose(List<Device> devices, String selector) {
        if (devices.isEmpty()) return null;
        if (selector == null) {
            for (Device d : devices) if (d.isGpu()) return d;
            return devices.get(0);
        }
        String s = selector.toLowerCase(Locale.ROOT);
        if (s.matches("\\d+[:.]\\d+")) {
            String[] pd = s.split("[:.]");
            for (Device d : devices)
                if (d.platformIndex() == Integer.parseInt(pd[0]) && d.deviceIndex() == Integer.parseInt(pd[1])) return d;
            return null;
        }
        if (s.matches("\\d+")) {
            int i = Integer.parseInt(s);
            return i < devices.size() ? devices.get(i) : null;
        }
        for (Device d : devices)
            if ((d.platformName() + " " + d.name()).toLowerCase(Locale.ROOT).contains(s)) return d;
        return null;
    }

    private static int clGetDeviceIDsQuiet(cl_platform_id platform, int[] n) {
        try {
            return clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, n);
        } catch (org.jocl.CLException e) {
            return CL_DEVICE_NOT_FOUND;
        }
    }

    private static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(p, param, 0, null, size);
        byte[] b = new byte[(int) size[0]];
        clGetPlatformInfo(p, param, b.length, Pointer.to(b), null);
        return cString(b);
    }

    private static String deviceString(cl_device_id d, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(d, param, 0, null, size);
        byte[] b = new byte[(int) size[0]];
        clGetDeviceInfo(d, param, b.length, Pointer.to(b), null);
        return cString(b);
    }

    private static long deviceLong(cl_device_id d, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(d, param, Sizeof.cl_long, Pointer.to(v), null);
        return v[0];
    }

    private static long deviceInt(cl_device_id d, int param) {
        int[] v = new int[1];
        clGetDeviceInfo(d, param, Sizeof.cl_int, Pointer.to(v), null);
        return v[0];
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.UTF_8).trim();
    }
}
