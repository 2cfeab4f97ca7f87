package io.github.knetj.tck.conformance;

import io.github.knetj.api.Backend;
import io.github.knetj.api.DType;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;

/**
 * One named array of a conformance case: its shape, its dtype as written in the file ("float64", or "int64" for labels
 * and indices) and its row-major values (integers are held exactly as doubles; {@link #ints()} gives them back).
 *
 * @param name  the name in the case ("x", "w", "target", "y")
 * @param shape the shape
 * @param dtype the file's dtype
 * @param data  the row-major values
 */
public record NamedArray(String name, Shape shape, String dtype, double[] data) {
    public NamedArray {
        if (data.length != shape.size())
            throw new IllegalArgumentException("conformance array '" + name + "': " + data.length + " values do not fill shape " + shape);
    }

    /** The values as ints (labels, indices), with an error if one is not a whole number. */
    public int[] ints() {
        int[] out = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = (int) data[i];
            if (out[i] != data[i]) throw new IllegalStateException("conformance array '" + name + "' (" + dtype + "): element " + i + " = " + data[i] + " is not an int");
        }
        return out;
    }

    /** The values as a tensor of {@code dtype} on {@code backend}. */
    public Tensor on(Backend backend, DType type) { return backend.memory().fromArray(data, shape, type); }

    @Override public String toString() { return name + " " + shape + " " + dtype; }
}
