package io.github.knetj.spark.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/** The one JSON object every command prints last, keys in the order they were put; NaN and infinities become null. */
final class JsonLine {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, Object> fields = new LinkedHashMap<>();

    JsonLine put(String key, Object value) {
        fields.put(key, value instanceof Double d && !Double.isFinite(d) ? null : value);
        return this;
    }

    @Override public String toString() {
        try { return JSON.writeValueAsString(fields); }
        catch (JsonProcessingException e) { throw new IllegalStateException("JSON line: " + e.getMessage(), e); }
    }
}
