package io.github.knetj.tck.conformance;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The parameters of a conformance case (stride, padding, axes, keepdims, ...) with typed getters that fail with the
 * attribute's name when it is missing or of the wrong kind.
 *
 * @param node the JSON object as read
 */
public record Attrs(JsonNode node) {
    /** True when the attribute is present and not null. */
    public boolean has(String key) { return node.hasNonNull(key); }

    public int getInt(String key) { return require(key, node.get(key) != null && node.get(key).canConvertToInt()).asInt(); }

    public int getInt(String key, int fallback) { return has(key) ? getInt(key) : fallback; }

    public double getDouble(String key) { return require(key, node.get(key) != null && node.get(key).isNumber()).asDouble(); }

    public double getDouble(String key, double fallback) { return has(key) ? getDouble(key) : fallback; }

    public boolean getBoolean(String key) { return require(key, node.get(key) != null && node.get(key).isBoolean()).asBoolean(); }

    public boolean getBoolean(String key, boolean fallback) { return has(key) ? getBoolean(key) : fallback; }

    public String getString(String key) { return require(key, node.get(key) != null && node.get(key).isTextual()).asText(); }

    /** An int list, or null when the attribute is null or absent (as {@code axes: null} means every axis). */
    public int[] getInts(String key) {
        if (!has(key)) return null;
        JsonNode a = require(key, node.get(key).isArray());
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asInt();
        return out;
    }

    /** A double list, or null when absent. */
    public double[] getDoubles(String key) {
        if (!has(key)) return null;
        JsonNode a = require(key, node.get(key).isArray());
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asDouble();
        return out;
    }

    private JsonNode require(String key, boolean ok) {
        if (!ok) throw new IllegalArgumentException("conformance attrs " + node + ": attribute '" + key + "' is missing or has the wrong type");
        return node.get(key);
    }

    @Override public String toString() { return node.toString(); }
}
