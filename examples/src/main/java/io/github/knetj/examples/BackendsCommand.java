package io.github.knetj.examples;

import io.github.knetj.api.Availability;
import io.github.knetj.api.Backend;
import io.github.knetj.api.BackendProvider;
import io.github.knetj.api.Backends;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./knetj backends}: every provider found, chosen or not, with its devices, dtypes and the reason it is unavailable.
 * Exits non-zero when the requested backend ({@code KNETJ_BACKEND}/{@code knetj.backend}, default auto) cannot start.
 */
final class BackendsCommand {
    private BackendsCommand() {}

    static int run(Args args) {
        args.allow(java.util.Set.of());
        List<Object> rows = new ArrayList<>();
        System.out.printf("%-10s %-8s %-11s %s%n", "backend", "priority", "status", "device / reason");
        for (BackendProvider p : Backends.providers()) {
            Availability a = p.availability();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", p.name());
            row.put("priority", p.priority());
            row.put("available", a.available());
            if (a.available()) {
                Backend b = Backends.get(p.name());
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
        String requested = Backends.requested();
        Json json = new Json().put("command", "backends").put("requested", requested).put("providers", rows);
        try {
            Backend chosen = Backends.get();
            System.out.println("chosen: " + chosen.name() + " (" + chosen.device() + ")" + (requested.equals("auto") ? " by auto selection" : ""));
            System.out.println(json.put("chosen", chosen.name()));
            return 0;
        } catch (RuntimeException e) {
            System.err.println("knetj: " + e.getMessage());
            System.out.println(json.put("chosen", null).put("error", e.getMessage()));
            return 3;
        }
    }
}
