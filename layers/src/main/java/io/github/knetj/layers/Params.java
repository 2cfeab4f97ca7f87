package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Collects the parameters of any model object (Knet's {@code params(model)}): its {@link Param} fields, and those of
 * the fields, arrays, lists and maps it holds, each under a stable dotted name ("layers.0.w") for saving. The same
 * walk finds any other kind of part, such as the layers that switch between training and evaluation.
 */
public final class Params {
    private Params() {}

    /** Every parameter reachable from model, each once, in field order. */
    public static List<Param> of(Object model) { return new ArrayList<>(named(model).values()); }

    /** Every parameter reachable from model by its path of field names and indices. */
    public static Map<String, Param> named(Object model) { return find(model, Param.class); }

    /**
     * Every object of {@code type} reachable from model by its path ("layers.2" for the third layer of a Chain), each
     * once, in field order; a match is not searched further, and the model itself, when it matches, is named after the type
     * ("param"). Values (tensors in the graph) are never searched.
     */
    public static <T> Map<String, T> find(Object model, Class<T> type) {
        Map<String, T> out = new LinkedHashMap<>();
        walk(model, "", type, out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private static <T> void walk(Object o, String path, Class<T> type, Map<String, T> out, Set<Object> seen) {
        if (o == null || !seen.add(o)) return;
        if (type.isInstance(o)) { out.put(path.isEmpty() ? type.getSimpleName().toLowerCase(Locale.ROOT) : path, type.cast(o)); return; }
        if (o instanceof Value) return;   // a Param's optimizer state or graph inputs are not part of the model
        if (o instanceof Object[] arr) { for (int i = 0; i < arr.length; i++) walk(arr[i], join(path, Integer.toString(i)), type, out, seen); return; }
        if (o instanceof List<?> list) { for (int i = 0; i < list.size(); i++) walk(list.get(i), join(path, Integer.toString(i)), type, out, seen); return; }
        if (o instanceof Map<?, ?> map) { for (var e : map.entrySet()) walk(e.getValue(), join(path, String.valueOf(e.getKey())), type, out, seen); return; }
        if (!isModelClass(o.getClass())) return;
        for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) continue;
                try {
                    f.setAccessible(true);
                    walk(f.get(o), join(path, f.getName()), type, out, seen);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalStateException("Params: cannot read field " + c.getName() + "." + f.getName() + ": " + e, e);
                }
            }
        }
    }

    /** Only user and library model classes are walked, never JDK internals, tensors or lambdas. */
    private static boolean isModelClass(Class<?> c) {
        String n = c.getName();
        return !(n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("jdk.") || n.startsWith("sun.")
                || n.startsWith("io.github.knetj.api.") || c.isSynthetic() || c.isHidden() || c.isEnum());
    }

    private static String join(String path, String name) { return path.isEmpty() ? name : path + "." + name; }
}
