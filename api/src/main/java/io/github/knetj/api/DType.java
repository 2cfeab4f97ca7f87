package io.github.knetj.api;

import java.util.Locale;

/** The element type of a tensor: every backend supports both; gradient checks run in float64. */
public enum DType {
    FLOAT32(4), FLOAT64(8);

    private final int bytes;

    DType(int bytes) { this.bytes = bytes; }

    /** Bytes per element. */
    public int bytes() { return bytes; }

    /** The lower-case name used on the command line and in JSON ("float32"). */
    public String label() { return name().toLowerCase(Locale.ROOT); }

    /** Parses "float32"/"f32"/"float"/"float64"/"f64"/"double", case-insensitively. */
    public static DType parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "float32", "f32", "float" -> FLOAT32;
            case "float64", "f64", "double" -> FLOAT64;
            default -> throw new IllegalArgumentException("unknown dtype '" + s + "': expected float32 or float64");
        };
    }

    @Override public String toString() { return label(); }
}
