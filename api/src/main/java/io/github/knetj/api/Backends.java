package io.github.knetj.api;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Finds backends with {@link ServiceLoader} and picks one. The choice comes from the system property
 * {@code knetj.backend}, else the environment variable {@code KNETJ_BACKEND}, else {@code auto}. A named backend
 * that cannot start throws with its reason; only {@code auto} falls back, choosing the available backend of highest
 * priority and logging why each other one was skipped.
 */
public final class Backends {
    private static final System.Logger LOG = System.getLogger("io.github.knetj.backends");
    private static final Map<String, Backend> CREATED = new LinkedHashMap<>();
    private static List<BackendProvider> providers;
    private static Backend chosen;

    private Backends() {}

    /** Every provider on the class path, highest priority first, available or not. */
    public static synchronized List<BackendProvider> providers() {
        if (providers == null) {
            List<BackendProvider> list = new ArrayList<>();
            ServiceLoader.load(BackendProvider.class).stream().forEach(p -> {
                try { list.add(p.get()); } catch (Throwable t) { LOG.log(Level.WARNING, "backend provider " + p.type().getName() + " failed to load: " + t); }
            });
            list.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
            providers = List.copyOf(list);
        }
        return providers;
    }

    /** What was asked for: {@code knetj.backend}, {@code KNETJ_BACKEND}, or "auto". */
    public static String requested() {
        String s = System.getProperty("knetj.backend");
        if (s == null || s.isBlank()) s = System.getenv("KNETJ_BACKEND");
        return s == null || s.isBlank() ? "auto" : s.trim().toLowerCase(Locale.ROOT);
    }

    /** The default backend, chosen once per process as {@link #requested()} says. */
    public static synchronized Backend get() {
        if (chosen == null) chosen = get(requested());
        return chosen;
    }

    /** The backend of this name ("auto" picks as described above); throws {@link BackendUnavailableException} with the reason. */
    public static synchronized Backend get(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("auto")) return auto();
        for (BackendProvider p : providers()) {
            if (!p.name().equals(n)) continue;
            Availability a = p.availability();
            if (!a.available()) throw new BackendUnavailableException("backend '" + n + "' is unavailable: " + a.reason());
            return create(p);
        }
        List<String> names = providers().stream().map(BackendProvider::name).toList();
        throw new BackendUnavailableException("backend '" + n + "' is unavailable: no provider of that name on the class path (found " + names + ")");
    }

    /** Every backend that can start here, highest priority first. */
    public static synchronized List<Backend> available() {
        List<Backend> out = new ArrayList<>();
        for (BackendProvider p : providers()) if (p.availability().available()) out.add(create(p));
        return out;
    }

    private static Backend auto() {
        StringBuilder skipped = new StringBuilder();
        for (BackendProvider p : providers()) {
            Availability a = p.availability();
            if (a.available()) {
                Backend b = create(p);
                LOG.log(Level.INFO, "auto: chose backend '" + b.name() + "' (" + b.device() + ", priority " + p.priority() + ")" + skipped);
                return b;
            }
            skipped.append("; skipped '").append(p.name()).append("': ").append(a.reason());
        }
        throw new BackendUnavailableException("no backend is available" + skipped);
    }

    private static Backend create(BackendProvider p) {
        return CREATED.computeIfAbsent(p.name(), k -> {
            try {
                return p.create();
            } catch (RuntimeException | LinkageError e) {
                throw new BackendUnavailableException("backend '" + k + "' failed to start: " + e, e);
            }
        });
    }
}
