package io.github.knetj.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line options of the form {@code --name value} or {@code --flag}, plus positional words; unknown options are errors. */
public final class Args {
    private final Map<String, String> options = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    /** Parses args; {@code flags} are options that take no value. */
    public Args(String[] args, Set<String> flags) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) { positional.add(a); continue; }
            String name = a.substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0) options.put(name.substring(0, eq), name.substring(eq + 1));
            else if (flags.contains(name)) options.put(name, "true");
            else if (i + 1 < args.length) options.put(name, args[++i]);
            else throw new IllegalArgumentException("option --" + name + " needs a value");
        }
    }

    /** Fails on options not in {@code known}, naming them and the known ones. */
    public Args allow(Set<String> known) {
        for (String k : options.keySet())
            if (!known.contains(k)) throw new IllegalArgumentException("unknown option --" + k + " (known: --" + String.join(", --", known) + ")");
        return this;
    }

    public List<String> positional() { return positional; }

    public boolean has(String name) { return options.containsKey(name); }

    public String get(String name, String dflt) { return options.getOrDefault(name, dflt); }

    public int getInt(String name, int dflt) {
        String v = options.get(name);
        try { return v == null ? dflt : Integer.parseInt(v); }
        catch (NumberFormatException e) { throw new IllegalArgumentException("--" + name + " expects an integer, got '" + v + "'"); }
    }

    public long getLong(String name, long dflt) {
        String v = options.get(name);
        try { return v == null ? dflt : Long.parseLong(v); }
        catch (NumberFormatException e) { throw new IllegalArgumentException("--" + name + " expects an integer, got '" + v + "'"); }
    }

    public double getDouble(String name, double dflt) {
        String v = options.get(name);
        try { return v == null ? dflt : Double.parseDouble(v); }
        catch (NumberFormatException e) { throw new IllegalArgumentException("--" + name + " expects a number, got '" + v + "'"); }
    }
}
