package io.github.knetj.api;

/** Whether a backend can start here, and if not, why ("no libOpenCL.so: install ocl-icd-opencl-dev"). */
public record Availability(boolean available, String reason) {
    public static Availability yes(String detail) { return new Availability(true, detail); }

    public static Availability no(String reason) { return new Availability(false, reason); }

    @Override public String toString() { return available ? "available" + (reason.isEmpty() ? "" : ": " + reason) : "unavailable: " + reason; }
}
