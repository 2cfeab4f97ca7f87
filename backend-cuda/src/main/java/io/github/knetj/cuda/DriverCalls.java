package io.github.knetj.cuda;

import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.JCudaDriver;

import java.nio.charset.StandardCharsets;

/**
 * The driver calls the availability probe makes, behind an interface so that tests can play every machine the
 * probe must describe (no driver, no GPU, an old driver, an old GPU) on a machine without one.
 */
interface DriverCalls {
    /** Loads JCuda's driver binding, which links {@code libcuda.so.1}; throws {@link LinkageError} when either is missing. */
    void load();

    /** {@code cuInit(0)}: a CUresult, 0 on success. */
    int init();

    /** {@code cuDriverGetVersion}: 12040 for CUDA 12.4. */
    int driverVersion();

    int deviceCount();

    String deviceName(int ordinal);

    /** {major, minor}. */
    int[] computeCapability(int ordinal);

    long totalMemory(int ordinal);

    /** The real driver through JCuda. Exceptions stay disabled here: the probe reads CUresult codes. */
    DriverCalls JCUDA = new DriverCalls() {
        @Override public void load() { JCudaDriver.setExceptionsEnabled(false); }

        @Override public int init() { return JCudaDriver.cuInit(0); }

        @Override public int driverVersion() {
            int[] v = new int[1];
            JCudaDriver.cuDriverGetVersion(v);
            return v[0];
        }

        @Override public int deviceCount() {
            int[] n = new int[1];
            JCudaDriver.cuDeviceGetCount(n);
            return n[0];
        }

        @Override public String deviceName(int ordinal) {
            byte[] name = new byte[256];
            JCudaDriver.cuDeviceGetName(name, name.length, device(ordinal));
            int len = 0;
            while (len < name.length && name[len] != 0) len++;
            return new String(name, 0, len, StandardCharsets.UTF_8);
        }

        @Override public int[] computeCapability(int ordinal) {
            int[] major = new int[1], minor = new int[1];
            CUdevice d = device(ordinal);
            JCudaDriver.cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, d);
            JCudaDriver.cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, d);
            return new int[] {major[0], minor[0]};
        }

        @Override public long totalMemory(int ordinal) {
            long[] bytes = new long[1];
            JCudaDriver.cuDeviceTotalMem(bytes, device(ordinal));
            return bytes[0];
        }

        private CUdevice device(int ordinal) {
            CUdevice d = new CUdevice();
            JCudaDriver.cuDeviceGet(d, ordinal);
            return d;
        }
    };
}
