package io.github.knetj.spark.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** {@code --name value}, {@code --name=value} and {@code --flag} options plus positional words; an unknown option is an error. */
final class Options {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    /** Parses argv; {@code flags} take no value; any option not in {@code flags} or {@code valued} is refused. */
    Options(String[] argv, Set<String> flags, Set<String> valued) {
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--")) { positional.add(a); continue; }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) { value = name.substring(eq + 1); name = name.substring(0, eq); }
            if (!flags.contains(name) && !valued.contains(name)) {
                Set<String> known = new TreeSet<>(flags);
                known.addAll(valued);
                throw new IllegalArgumentException("unknown option --" + name + " (known: --" + String.join(", --", known) + ")");
            }
            if (flags.contains(name)) { values.put(name, value == null ? "true" : value); continue; }
            if (value == null) {
                if (i + 1 >= argv.length) throw new IllegalArgumentException("option --" + name + " needs a value");
                value = argv[++i];
            }
            values.put(name, value);
        }
    }

    List<String> positional() { return positional; }

    boolean has(String name) { return values.containsKey(name); }

    String get(String name, String dflt) { return values.getOrDefault(name, dflt); }

    int getInt(String name, int dflt) {
        String v = values.get(name);
        try { return v == null ? dflt : Integer.parseInt(v.trim()); }
        catch (NumberFormatException e) { throw new IllegalArgumentException("--" + name + " expects an integer, got '" + v + "'"); }
    }

    long getLong(String name, long dflt) {
        String v = values.get(name);
        try { return v == null ? dflt : Long.parseLong(v.trim()); }
        catch (NumberFormatException e) { throw new IllegalArgumentException("--" + name + " expects an integer, got '" + v + "'"); }
    }

    double getDouble(String name, double dflt) {
        String v = values.get(name);
        try { return v == null ? dflt : Double.parseDouble(v.trim()); }
        catch (NumberFormatException e) { throw new IllegalArgumentException("--" + name + " expects a number, got '" + v + "'"); }
    }

    /** A comma-separated list of numbers ("1e-3,3e-3"), or the default when absent. */
    List<Double> getDoubles(String name, List<Double> dflt) {
        if (!has(name)) return dflt;
        List<Double> out = new ArrayList<>();
        for (String s : get(name, "").split(",")) {
            try { out.add(Double.parseDouble(s.trim())); }
            catch (NumberFormatException e) { throw new IllegalArgumentException("--" + name + " expects numbers separated by commas, got '" + get(name, "") + "'"); }
        }
        return out;
    }

    /** A comma-separated list of integers, or the default when absent. */
    List<Integer> getInts(String name, List<Integer> dflt) {
        if (!has(name)) return dflt;
        List<Integer> out = new ArrayList<>();
        for (String s : get(name, "").split(",")) {
            try { out.add(Integer.parseInt(s.trim())); }
            catch (NumberFormatException e) { throw new IllegalArgumentException("--" + name + " expects integers separated by commas, got '" + get(name, "") + "'"); }
        }
        return out;
    }

    @Override public String toString() { return values + " " + Arrays.toString(positional.toArray()); }
}
