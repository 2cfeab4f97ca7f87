package io.github.knetj.layers.transformer;

import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.Ops;

/**
 * K = [K_past; k_new], V = [V_past; v_new]: the keys and values one attention layer has seen so far while sampling,
 * so that each new position attends over them instead of recomputing the prefix. One cache per attention layer;
 * {@link #clear()} starts over (a model with learned absolute positions must, once the window slides).
 */
public final class KVCache {
    private Value keys, values;

    /** Appends the newest keys and values, each (B, Tn, E). */
    public void append(Value k, Value v) {
        keys = keys == null ? k : Ops.concat(1, keys, k);
        values = values == null ? v : Ops.concat(1, values, v);
    }

    /** (B, T, E), every key so far; null before the first append. */
    public Value keys() { return keys; }

    public Value values() { return values; }

    /** The number of positions held. */
    public int length() { return keys == null ? 0 : keys.shape().dim(1); }

    public void clear() { keys = null; values = null; }

    @Override public String toString() { return "KVCache(" + length() + " positions)"; }
}
