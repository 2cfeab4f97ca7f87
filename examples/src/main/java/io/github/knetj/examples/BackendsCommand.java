package io.github.knetj.examples;

import io.github.knetj.api.Availability;
import io.github.knetj.api.Backend;
import io.github.knetj.api.BackendProvider;
import io.github.knetj.api.Backends;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./knetj backends}: every provider found, chosen or not, with its devices, dtypes and the reason it is unavailable.
 * Exits non-zero when the requested backend ({@code KNETJ_BACKEND}/{@code knetj.backend}, default auto) cannot start.
 */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = {"Every backend found, its devices and dtypes, or why it is unavailable.",
                "Exit code 3 when the requested one (--backend, else KNETJ_BACKEND, else auto) cannot start."})
final class BackendsCommand implements Callable<Integer> {
    @Option(names = "--backend", paramLabel = "NAME", description = "the backend that must start (default: KNETJ_BACKEND, else auto)") String backend;

    @Override public Integer call() {
        List<Object> rows = new ArrayList<>();
        System.out.printf("%-10s %-8s %-11s %s%n", "backend", "priority", "status", "device / reason");
        for (BackendProvider p : Backends.providers()) {
            Availability a = p.availability();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", p.name());
            row.put("priority", p.priority());
            Backend b = null;
            if (a.available()) {
                try {
                    b = Backends.get(p.name());
                } catch (RuntimeException e) {
                    a = new Availability(false, e.getMessage());   // available, but it failed to start
                }
            }
            row.put("available", a.available());
            if (b != null) {
                row.put("device", b.device());
                row.put("dtypes", b.dtypes().stream().map(Object::toString).sorted().toList());
                System.out.printf("%-10s %-8d %-11s %s %s%n", p.name(), p.priority(), "available", b.device(), row.get("dtypes"));
            } else {
                row.put("reason", a.reason());
                System.out.printf("%-10s %-8d %-11s %s%n", p.name(), p.priority(), "unavailable", a.reason());
            }
            List<String> devices = p.devices();
            if (!devices.isEmpty()) {
                row.put("devices", devices);
                for (String d : devices) System.out.printf("%-10s %-8s %-11s   device: %s%n", "", "", "", d);
            }
            rows.add(row);
        }
        String requested = backend != null ? backend.trim().toLowerCase(java.util.Locale.ROOT) : Backends.requested();
        Json json = new Json().put("command", "backends");
        try {
            Backend chosen = backend != null ? Backends.get(backend) : Backends.get();
            System.out.println("chosen: " + chosen.name() + " (" + chosen.device() + ")" + (requested.equals("auto") ? " by auto selection" : ""));
            System.out.println(json.put("status", "ok").put("requested", requested).put("providers", rows).put("chosen", chosen.name()));
            return Outcome.OK;
        } catch (RuntimeException e) {
            System.err.println("knetj backends: " + e.getMessage());
            System.out.println(json.put("status", "error").put("error_kind", "backend").put("error", e.getMessage()).put("exit_code", Outcome.UNAVAILABLE)
                    .put("requested", requested).put("providers", rows).put("chosen", null));
            return Outcome.UNAVAILABLE;
        }
    }
}
