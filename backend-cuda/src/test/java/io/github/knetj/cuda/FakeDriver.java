package io.github.knetj.cuda;

/**
 * A scripted {@link DriverCalls}: a machine described by fields (no driver, no GPU, an old driver, an old GPU, a
 * good one), counting how often it is asked so that tests can check the provider's cache.
 */
final class FakeDriver implements DriverCalls {
    LinkageError loadError;
    RuntimeException initError;
    int initResult;
    int version = 13000;
    int devices = 1;
    int[] capability = {9, 0};
    int inits;

    @Override public void load() { if (loadError != null) throw loadError; }

    @Override public int init() {
        inits++;
        if (initError != null) throw initError;
        return initResult;
    }

    @Override public int driverVersion() { return version; }
    @Override public int deviceCount() { return devices; }
    @Override public String deviceName(int ordinal) { return "NVIDIA H100 80GB HBM3"; }
    @Override public int[] computeCapability(int ordinal) { return capability.clone(); }
    @Override public long totalMemory(int ordinal) { return 80L << 30; }
}
