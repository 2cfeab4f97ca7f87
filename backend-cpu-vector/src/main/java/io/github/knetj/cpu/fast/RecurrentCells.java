package io.github.knetj.cpu.fast;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Checks;
import io.github.knetj.api.HostTensor;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.cpu.Host;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fused float32 LSTM and GRU cells of {@code CpuNN}, forward and backward, with the equations of
 * {@link io.github.knetj.api.Fused#lstmCell} and {@link io.github.knetj.api.Fused#gruCell}: one SIMD pass over the B·H
 * elements of a step instead of the 14–24 element-wise kernels (each allocating its result) that the composed
 * defaults run. Rows are shared among the pool's threads; each lane reads its gates at columns j, H+j, 2H+j, ...
 * of its row. Loaded only when the Vector API is present (like {@link VectorKernels}).
 */
public final class RecurrentCells {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private RecurrentCells() {}

    /** {h', c', act (B,5H)} of one LSTM step: see {@link io.github.knetj.api.Fused#lstmCell}. */
    public static Tensor[] lstmCell(Backend be, Tensor gates, Tensor c) {
        int h = width("lstmCell", be, gates, 4, c), rows = c.shape().dim(0);
        float[] z = f(gates), cs = f(c);
        HostTensor h2 = Host.uncleared(be, c.shape(), c.dtype()), c2 = Host.uncleared(be, c.shape(), c.dtype());
        HostTensor act = Host.uncleared(be, Shape.of(rows, 5 * h), c.dtype());
        float[] ho = h2.floats(), co = c2.floats(), a = act.floats();
        Parallel.forRange(rows, Host.grain(40L * h), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int zr = r * 4 * h, sr = r * h, ar = r * 5 * h;
                sigmoids(z, zr, a, ar, 2 * h);                   // i and f, side by side in both rows
                tanhs(z, zr + 2 * h, a, ar + 2 * h, h);           // g
                sigmoids(z, zr + 3 * h, a, ar + 3 * h, h);        // o
                lstmState(a, ar, cs, co, ho, sr, h);
            }
        });
        return new Tensor[] {h2, c2, act};
    }

    /** {dgates (B,4H), dc (B,H)} of one LSTM step; dh or dc may be null: see {@link io.github.knetj.api.Fused#lstmCellBackward}. */
    public static Tensor[] lstmCellBackward(Backend be, Tensor dh, Tensor dc, Tensor act, Tensor c) {
        int h = width("lstmCellBackward", be, act, 5, c), rows = c.shape().dim(0);
        gradient("lstmCellBackward", "dh", be, dh, c);
        gradient("lstmCellBackward", "dc", be, dc, c);
        float[] a = f(act), cs = f(c), gh = dh == null ? null : f(dh), gc = dc == null ? null : f(dc);
        HostTensor dz = Host.uncleared(be, Shape.of(rows, 4 * h), c.dtype()), dcPrev = Host.uncleared(be, c.shape(), c.dtype());
        float[] dzo = dz.floats(), dco = dcPrev.floats();
        Parallel.forRange(rows, Host.grain(30L * h), (r0, r1) -> {
            FloatVector one = FloatVector.broadcast(S, 1f), zero = FloatVector.zero(S);
            for (int r = r0; r < r1; r++) {
                int zr = r * 4 * h, sr = r * h, ar = r * 5 * h;
                for (int j = 0; j < h; j += L) {
                    VectorMask<Float> m = S.indexInRange(j, h);
                    FloatVector i = load(a, ar + j, m), fg = load(a, ar + h + j, m), g = load(a, ar + 2 * h + j, m);
                    FloatVector o = load(a, ar + 3 * h + j, m), tc = load(a, ar + 4 * h + j, m);
                    FloatVector vh = gh == null ? zero : load(gh, sr + j, m), vc = gc == null ? zero : load(gc, sr + j, m);
                    FloatVector dcHat = vh.mul(o).mul(one.sub(tc.mul(tc))).add(vc);
                    dcHat.mul(g).mul(i.mul(one.sub(i))).intoArray(dzo, zr + j, m);
                    dcHat.mul(load(cs, sr + j, m)).mul(fg.mul(one.sub(fg))).intoArray(dzo, zr + h + j, m);
                    dcHat.mul(i).mul(one.sub(g.mul(g))).intoArray(dzo, zr + 2 * h + j, m);
                    vh.mul(tc).mul(o.mul(one.sub(o))).intoArray(dzo, zr + 3 * h + j, m);
                    dcHat.mul(fg).intoArray(dco, sr + j, m);
                }
            }
        });
        return new Tensor[] {dz, dcPrev};
    }

    /** {h', act (B,3H)} of one GRU step: see {@link io.github.knetj.api.Fused#gruCell}. */
    public static Tensor[] gruCell(Backend be, Tensor xg, Tensor hg, Tensor h) {
        int w = width("gruCell", be, xg, 3, h), rows = h.shape().dim(0);
        width("gruCell", be, hg, 3, h);
        float[] x = f(xg), hz = f(hg), hs = f(h);
        HostTensor h2 = Host.uncleared(be, h.shape(), h.dtype()), act = Host.uncleared(be, Shape.of(rows, 3 * w), h.dtype());
        float[] ho = h2.floats(), a = act.floats();
        Parallel.forRange(rows, Host.grain(30L * w), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int gr = r * 3 * w, sr = r * w;
                gateSums(x, hz, a, gr, 2 * w);                   // r and z: σ(x + hg), side by side in all three rows
                gruState(x, hz, hs, a, ho, gr, sr, w);
            }
        });
        return new Tensor[] {h2, act};
    }

    /** {dxg (B,3H), dhg (B,3H), dh_prev (B,H)} of one GRU step: see {@link io.github.knetj.api.Fused#gruCellBackward}. */
    public static Tensor[] gruCellBackward(Backend be, Tensor dh, Tensor act, Tensor hg, Tensor h) {
        int w = width("gruCellBackward", be, act, 3, h), rows = h.shape().dim(0);
        width("gruCellBackward", be, hg, 3, h);
        gradient("gruCellBackward", "dh", be, dh, h);
        float[] a = f(act), hz = f(hg), hs = f(h), gh = f(dh);
        HostTensor dx = Host.uncleared(be, act.shape(), h.dtype()), dhz = Host.uncleared(be, act.shape(), h.dtype()), dPrev = Host.uncleared(be, h.shape(), h.dtype());
        float[] dxo = dx.floats(), dho = dhz.floats(), dpo = dPrev.floats();
        Parallel.forRange(rows, Host.grain(30L * w), (r0, r1) -> {
            FloatVector one = FloatVector.broadcast(S, 1f);
            for (int r = r0; r < r1; r++) {
                int gr = r * 3 * w, sr = r * w;
                for (int j = 0; j < w; j += L) {
                    VectorMask<Float> m = S.indexInRange(j, w);
                    FloatVector rg = load(a, gr + j, m), zg = load(a, gr + w + j, m), n = load(a, gr + 2 * w + j, m);
                    FloatVector d = load(gh, sr + j, m);
                    FloatVector dn = d.mul(one.sub(zg)).mul(one.sub(n.mul(n)));
                    FloatVector dr = dn.mul(load(hz, gr + 2 * w + j, m)).mul(rg.mul(one.sub(rg)));
                    FloatVector dz = d.mul(load(hs, sr + j, m).sub(n)).mul(zg.mul(one.sub(zg)));
                    dr.intoArray(dxo, gr + j, m);
                    dz.intoArray(dxo, gr + w + j, m);
                    dn.intoArray(dxo, gr + 2 * w + j, m);
                    dr.intoArray(dho, gr + j, m);
                    dz.intoArray(dho, gr + w + j, m);
                    dn.mul(rg).intoArray(dho, gr + 2 * w + j, m);
                    d.mul(zg).intoArray(dpo, sr + j, m);
                }
            }
        });
        return new Tensor[] {dx, dhz, dPrev};
    }

    // The passes of a cell step, each a loop of its own: one loop with all of a cell's exp-based functions outgrew C2's
    // inlining budget, and the functions it then called took and returned boxed vectors. Lanes past n are masked off.

    /** a[ao..ao+n) = σ(z[zo..zo+n)). */
    private static void sigmoids(float[] z, int zo, float[] a, int ao, int n) {
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> m = S.indexInRange(j, n);
            VectorMath.sigmoid(load(z, zo + j, m)).intoArray(a, ao + j, m);
        }
    }

    /** a[ao..ao+n) = tanh(z[zo..zo+n)). */
    private static void tanhs(float[] z, int zo, float[] a, int ao, int n) {
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> m = S.indexInRange(j, n);
            VectorMath.tanh(load(z, zo + j, m)).intoArray(a, ao + j, m);
        }
    }

    /** From the activated gates i,f,g,o of one row (at ar): c' = f⊙c + i⊙g, tanh c' (the row's fifth block), h' = o⊙tanh c'. */
    private static void lstmState(float[] a, int ar, float[] cs, float[] co, float[] ho, int sr, int h) {
        for (int j = 0; j < h; j += L) {
            VectorMask<Float> m = S.indexInRange(j, h);
            FloatVector i = load(a, ar + j, m), fg = load(a, ar + h + j, m), g = load(a, ar + 2 * h + j, m), o = load(a, ar + 3 * h + j, m);
            FloatVector cn = fg.mul(load(cs, sr + j, m)).add(i.mul(g)), tc = VectorMath.tanh(cn);
            o.mul(tc).intoArray(ho, sr + j, m);
            cn.intoArray(co, sr + j, m);
            tc.intoArray(a, ar + 4 * h + j, m);
        }
    }

    /** a[o..o+n) = σ(x[o..o+n) + hz[o..o+n)). */
    private static void gateSums(float[] x, float[] hz, float[] a, int o, int n) {
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> m = S.indexInRange(j, n);
            VectorMath.sigmoid(load(x, o + j, m).add(load(hz, o + j, m))).intoArray(a, o + j, m);
        }
    }

    /** From r and z of one GRU row (at gr): n = tanh(x_n + r⊙hg_n) (the row's third block), h' = n + z⊙(h − n). */
    private static void gruState(float[] x, float[] hz, float[] hs, float[] a, float[] ho, int gr, int sr, int w) {
        for (int j = 0; j < w; j += L) {
            VectorMask<Float> m = S.indexInRange(j, w);
            FloatVector rg = load(a, gr + j, m), zg = load(a, gr + w + j, m);
            FloatVector n = VectorMath.tanh(load(x, gr + 2 * w + j, m).add(rg.mul(load(hz, gr + 2 * w + j, m))));
            n.add(zg.mul(load(hs, sr + j, m).sub(n))).intoArray(ho, sr + j, m);
            n.intoArray(a, gr + 2 * w + j, m);
        }
    }

    private static FloatVector load(float[] a, int off, VectorMask<Float> m) { return FloatVector.fromArray(S, a, off, m); }

    private static float[] f(Tensor t) { return Host.host(t).floats(); }

    /** H for a cell whose {@code wide} tensor must be (B, k·H) beside its state (B, H); the errors of the NN defaults. */
    private static int width(String op, Backend be, Tensor wide, int k, Tensor state) {
        Host.check(op, be, wide, state);
        Shape s = state.shape();
        if (s.rank() != 2 || !wide.shape().equals(Shape.of(s.dim(0), k * s.dim(1))))
            throw new IllegalArgumentException(op + ": expected a state (B, H) and a (B, " + k + "·H) tensor, got " + Checks.describe(state, wide));
        return s.dim(1);
    }

    private static void gradient(String op, String name, Backend be, Tensor g, Tensor state) {
        if (g == null) return;
        Host.check(op, be, g, state);
        if (!g.shape().equals(state.shape()))
            throw new IllegalArgumentException(op + ": " + name + " must have the state's shape " + state.shape() + ", got " + Checks.describe(g));
    }
}
