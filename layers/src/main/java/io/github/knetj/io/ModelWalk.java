package io.github.knetj.io;

import io.github.knetj.autograd.BatchNormStats;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A walk over a model's fields that finds the batch-norm running statistics it holds, named by their path of fields and indices exactly as
 * {@link io.github.knetj.layers.Params#named} names parameters, so that saved files list both the same way (and the
 * training loop can keep the statistics a step updated).
 */
public final class ModelWalk {
    private ModelWalk() {}

    /** Every {@link BatchNormStats} reachable from model, by path ("layers.1.stats"), each once, in field order. */
    public static Map<String, BatchNormStats> batchNormStats(Object model) {
        Map<String, BatchNormStats> out = new LinkedHashMap<>();
        walk(model, "", out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private static void walk(Object o, String path, Map<String, BatchNormStats> out, Set<Object> seen) {
        if (o == null || !seen.add(o)) return;
        if (o instanceof BatchNormStats s) { out.put(path.isEmpty() ? "stats" : path, s); return; }
        if (o instanceof Object[] arr) { for (int i = 0; i < arr.length; i++) walk(arr[i], join(path, Integer.toString(i)), out, seen); return; }
        if (o instanceof List<?> list) { for (int i = 0; i < list.size(); i++) walk(list.get(i), join(path, Integer.toString(i)), out, seen); return; }
        if (o instanceof Map<?, ?> map) { for (var e : map.entrySet()) walk(e.getValue(), join(path, String.valueOf(e.getKey())), out, seen); return; }
        if (!isModelClass(o.getClass())) return;
        for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) continue;
                try {
                    f.setAccessible(true);
                    walk(f.get(o), join(path, f.getName()), out, seen);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalStateException("ModelIO: cannot read field " + c.getName() + "." + f.getName() + ": " + e, e);
                }
            }
        }
    }

    /** The same classes Params walks: user and library model classes, never JDK internals, tensors, values or lambdas. */
    private static boolean isModelClass(Class<?> c) {
        String n = c.getName();
        return !(n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("jdk.") || n.startsWith("sun.")
                || n.startsWith("io.github.knetj.api.") || n.startsWith("io.github.knetj.autograd.")
                || c.isSynthetic() || c.isHidden() || c.isEnum());
    }

    private static String join(String path, String name) { return path.isEmpty() ? name : path + "." + name; }
}
