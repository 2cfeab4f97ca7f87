package io.github.knetj.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic release of device memory: tensors created while a scope is open are closed when it closes,
 * except those passed to {@link #keep}, which move to the enclosing scope (or to nobody).
 * <pre>{@code
 * try (TensorScope scope = TensorScope.open()) {
 *     Tensor y = ...;                 // intermediates die with the scope
 *     return scope.keep(y);           // y survives
 * }
 * }</pre>
 * Device backends call {@link #register} for every tensor they create; host backends need not, except for tensors
 * on pooled arrays ({@link HostTensor#leased}).
 */
public final class TensorScope implements AutoCloseable {
    private static final ThreadLocal<List<TensorScope>> STACK = ThreadLocal.withInitial(ArrayList::new);
    /**
     * In creation order; a kept tensor's slot is set to null. A list, not an identity set: a training step registers
     * thousands of tensors and keeps a few, and hashing each cost more than scanning for the few.
     */
    private final List<Tensor> owned = new ArrayList<>();
    private boolean closed;

    private TensorScope() {}

    /** Opens a scope on this thread; close it in the same thread (try-with-resources). */
    public static TensorScope open() {
        TensorScope s = new TensorScope();
        STACK.get().add(s);
        return s;
    }

    /** Whether a scope is open on this thread (a host backend then lends pooled arrays, see {@link HostTensor#leased}). */
    public static boolean active() { return !STACK.get().isEmpty(); }

    /** Called by backends for each new tensor: the innermost open scope owns it. */
    public static <T extends Tensor> T register(T t) {
        List<TensorScope> stack = STACK.get();
        if (!stack.isEmpty()) stack.get(stack.size() - 1).owned.add(t);
        return t;
    }

    /** Lets t outlive this scope: it moves to the enclosing scope, or is owned by nobody. */
    public <T extends Tensor> T keep(T t) {
        for (int k = owned.size() - 1; k >= 0; k--) {
            if (owned.get(k) != t) continue;
            owned.set(k, null);
            List<TensorScope> stack = STACK.get();
            int i = stack.indexOf(this);
            if (i > 0) stack.get(i - 1).owned.add(t);
            break;
        }
        return t;
    }

    /** Number of tensors this scope will close. */
    public int size() {
        int n = 0;
        for (Tensor t : owned) if (t != null) n++;
        return n;
    }

    @Override public void close() {
        if (closed) return;
        closed = true;
        STACK.get().remove(this);
        for (Tensor t : owned) if (t != null) t.close();
        owned.clear();
    }
}
