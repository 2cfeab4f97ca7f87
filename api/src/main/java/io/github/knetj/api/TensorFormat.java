package io.github.knetj.api;

/** Readable printing of tensors: shape, dtype, backend and a few numbers, as JShell shows them. */
public final class TensorFormat {
    private static final int EDGE = 3;

    private TensorFormat() {}

    /** {@code Tensor[2, 3] float32 on cpu: [[1, 2, 3], [4, 5, 6]]}, eliding long axes with "...". */
    public static String format(Tensor t) {
        StringBuilder sb = new StringBuilder("Tensor").append(t.shape()).append(' ').append(t.dtype())
                .append(" on ").append(t.backend().name()).append(": ");
        if (t.size() > 100_000) return sb.append("(").append(t.size()).append(" elements)").toString();
        double[] v = t.toDoubleArray();
        appendAxis(sb, v, t.shape().dims(), 0, 0);
        return sb.toString();
    }

    private static int appendAxis(StringBuilder sb, double[] v, int[] dims, int axis, int offset) {
        if (axis == dims.length) { sb.append(number(v[offset])); return offset + 1; }
        int n = dims[axis];
        int inner = 1;
        for (int i = axis + 1; i < dims.length; i++) inner *= dims[i];
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (n > 2 * EDGE && i == EDGE) { sb.append("..., "); i = n - EDGE; }
            appendAxis(sb, v, dims, axis + 1, offset + i * inner);
            if (i < n - 1) sb.append(", ");
        }
        return sb.append(']').length();
    }

    /** Short numbers: integers without ".0", others with 4 significant digits. */
    public static String number(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e9) return Long.toString((long) x);
        return String.format(java.util.Locale.ROOT, "%.4g", x);
    }
}
