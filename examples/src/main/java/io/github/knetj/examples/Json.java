package io.github.knetj.examples;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one machine-readable JSON line every command ends with: an ordered object of strings, numbers, booleans and lists. */
public final class Json {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    public Json put(String key, Object value) { fields.put(key, value); return this; }

    @Override public String toString() { return write(fields); }

    private static String write(Object v) {
        if (v == null) return "null";
        if (v instanceof String s) return quote(s);
        if (v instanceof Boolean || v instanceof Integer || v instanceof Long) return v.toString();
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (!Double.isFinite(d)) return "null";
            java.math.BigDecimal b = new java.math.BigDecimal(d).round(new java.math.MathContext(6)).stripTrailingZeros();
            return Math.abs(d) >= 1e-4 && Math.abs(d) < 1e15 || d == 0 ? b.toPlainString() : b.toString();
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            for (var e : m.entrySet()) sb.append(sb.length() > 1 ? "," : "").append(quote(String.valueOf(e.getKey()))).append(':').append(write(e.getValue()));
            return sb.append('}').toString();
        }
        if (v instanceof Collection<?> c) {
            StringBuilder sb = new StringBuilder("[");
            for (Object o : c) sb.append(sb.length() > 1 ? "," : "").append(write(o));
            return sb.append(']').toString();
        }
        if (v instanceof double[] a) { StringBuilder sb = new StringBuilder("["); for (double d : a) sb.append(sb.length() > 1 ? "," : "").append(write(d)); return sb.append(']').toString(); }
        return quote(v.toString());
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> { if (c < 0x20) sb.append(String.format("\\u%04x", (int) c)); else sb.append(c); }
            }
        }
        return sb.append('"').toString();
    }
}
