package io.github.knetj.layers;

import io.github.knetj.autograd.AutoGrad.Param;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.autograd.NNOps;

import java.util.Arrays;

/**
 * y[..., :] = E[i, :]: an embedding, the row of a table E (vocab, dim) for each integer index i, so indices of shape
 * (dims...) give (dims..., dim) (KnetLayers' {@code Embed}; the gradient adds into the rows that were read).
 * <p>
 * The table starts Xavier-uniform, as Knet's {@code param} does. {@code new Embed(1000, 64)} prints as
 * {@code Embed(1000 => 64)}.
 */
public record Embed(Param table) implements Layer {
    public Embed {
        if (table == null || table.shape().rank() != 2) throw new IllegalArgumentException("Embed: the table must be a (vocab, dim) parameter, got " + (table == null ? null : table.shape()));
    }

    public Embed(int vocab, int dim) { this(Init.param(Check.sizes("Embed(" + vocab + " => " + dim + ")", vocab, dim))); }

    public int vocab() { return table.shape().dim(0); }

    public int dim() { return table.shape().dim(1); }

    /** Looks up the indices held by x (whole numbers stored in any dtype, of any shape). */
    @Override public Value apply(Value x) { return apply(indices(x), x.shape().dims()); }

    /** The indices held by x (whole numbers stored in any dtype), flat, each checked to lie in [0, vocab). */
    public int[] indices(Value x) {
        double[] v = x.data().toDoubleArray();
        int[] indices = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i])) throw new IllegalArgumentException(this + ": indices must be whole numbers, got " + v[i] + " at flat position " + i + " of shape " + x.shape());
            indices[i] = (int) v[i];
        }
        checkIndices(indices);
        return indices;
    }

    /** Throws, naming the first offender, unless every index lies in [0, vocab). */
    public void checkIndices(int[] indices) {
        for (int i = 0; i < indices.length; i++)
            if (indices[i] < 0 || indices[i] >= vocab())
                throw new IllegalArgumentException(this + ": index " + indices[i] + " at position " + i + " is outside [0, " + vocab() + ")");
    }

    /** Looks up indices laid out as dims (none: a plain list), giving (dims..., dim). */
    public Value apply(int[] indices, int... dims) {
        long n = 1;
        for (int d : dims) n *= d;
        if (dims.length > 0 && n != indices.length)
            throw new IllegalArgumentException(this + ": " + indices.length + " indices do not fill dims " + Arrays.toString(dims));
        checkIndices(indices);
        return NNOps.embed(table, indices, dims);
    }

    @Override public String toString() { return "Embed(" + vocab() + " => " + dim() + ")"; }
}
