package io.github.knetj.cpu.fast;

import io.github.knetj.api.Backend;
import io.github.knetj.api.Checks;
import io.github.knetj.api.HostTensor;
import io.github.knetj.api.Shape;
import io.github.knetj.api.Tensor;
import io.github.knetj.cpu.Host;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The float32 products x·op(W) of {@code CpuNN.recurrentMatmul}: a recurrent layer multiplies its few state rows by
 * the same hidden weight at every step, forward (h·W_hhᵀ) and backward (g·W_hh), so packing W into the panels of the
 * packed matrix product at each call (as {@link PackedSgemm} must, not knowing the next call) costs as much memory
 * traffic as the product itself when x has 64 rows. Here op(W) is packed once per weight and direction and kept
 * while the weight tensor lives: tensors are immutable, and an optimizer step makes a new one, which is packed anew.
 * The panels, the 5×2-vector micro-kernel and x's packing are those of {@link PackedSgemm}; x is packed once per call
 * (it is small) and shared, and groups of column panels are shared among the pool's threads. Loaded only when the Vector API is present.
 */
public final class RecurrentMatmul {
    private static final int MR = PackedSgemm.MR, NR = PackedSgemm.NR, KC = 256, PANEL_BASE = PackedSgemm.PANEL_BASE;
    /** Below this many multiply-adds a product runs on the calling thread. */
    private static final long PARALLEL = 1 << 18;
    /** Packed op(W) by weight (held weakly, compared by identity) and by transposition: index 0 W, index 1 Wᵀ. */
    private static final Map<Tensor, float[][]> PACKED = Collections.synchronizedMap(new WeakHashMap<>());
    /** x packed by the calling thread, read by the whole team. */
    private static final ThreadLocal<float[]> X_PACK = ThreadLocal.withInitial(() -> new float[0]);

    private RecurrentMatmul() {}

    /** x (m, k) · op(w), op(w) (k, n): w (n, k) when transposed, (k, n) otherwise. */
    public static Tensor product(Backend be, Tensor x, Tensor w, boolean transW) {
        Host.check("recurrentMatmul", be, x, w);
        if (x.rank() != 2 || w.rank() != 2)
            throw new IllegalArgumentException("recurrentMatmul: expected x (m, k) and a 2-D weight, got " + Checks.describe(x, w));
        Shape out = Checks.matmul(x.shape(), w.shape(), false, transW);
        int m = out.dim(0), n = out.dim(1), k = x.shape().dim(1);
        if (m == 0 || n == 0 || k == 0) return Host.zeros(be, out, x.dtype());
        HostTensor y = Host.uncleared(be, out, x.dtype());   // the first block of steps stores every tile
        float[] b = packed(w, transW, k, n), xs = Host.host(x).floats(), c = y.floats();
        int panels = (n + NR - 1) / NR, rowsPad = (m + MR - 1) / MR * MR, blocks = (k + KC - 1) / KC;
        float[] a = X_PACK.get();
        if (a.length < rowsPad * k) X_PACK.set(a = new float[rowsPad * k]);
        float[] xp = a;
        if ((long) m * n * k < PARALLEL || Parallel.threads() == 1) {
            packRows(xs, m, k, 0, blocks, xp);
            columns(xp, m, k, b, n, 0, panels, c);
        } else {
            // x is packed once, a block of steps per item, then shared, where each of the four groups of columns had
            // packed its own copy. With the output no longer cleared first, the char-LSTM's 64×512·(512×2048) and
            // 64×2048·(2048×512) went 309–388 / 367–424 → 276–305 / 288–370 µs (six alternating runs).
            Parallel.forEach(blocks, (t0, t1) -> packRows(xs, m, k, t0, t1, xp));
            // About two groups of column panels per thread, as tasks: one thread slowed by other processes on a
            // shared machine leaves its second group to the others.
            int groups = Math.min(panels, 2 * Parallel.threads());
            Parallel.forEach(groups, (t0, t1) -> {
                for (int t = t0; t < t1; t++) columns(xp, m, k, b, n, t * panels / groups, (t + 1) * panels / groups, c);
            });
        }
        return y;
    }

    /** The packed op(w), made on first use: block pc (KC steps) at pc·nPad, its panel q at + q·NR·kc, (p, jj) at + p·NR + jj. */
    private static float[] packed(Tensor w, boolean transW, int k, int n) {
        float[][] both = PACKED.computeIfAbsent(w, t -> new float[2][]);
        int slot = transW ? 1 : 0;
        float[] p = both[slot];
        if (p != null) return p;
        float[] src = Host.host(w).floats();
        int ld = w.shape().dim(1), nPad = (n + NR - 1) / NR * NR;
        // Not PackedSgemm.panelBuffer's 4 MB minimum: a new weight after every optimizer step would cost that much
        // zeroing for a small layer. The char-LSTM's 2048×512 weight is 4 MB anyway, a humongous object G1 aligns.
        p = new float[PANEL_BASE + k * nPad];
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            for (int j0 = 0; j0 < n; j0 += NR) {
                int off = PANEL_BASE + pc * nPad + j0 * kc, cols = Math.min(NR, n - j0);
                for (int pp = 0; pp < kc; pp++)
                    for (int jj = 0; jj < cols; jj++)
                        p[off + pp * NR + jj] = transW ? src[(j0 + jj) * ld + pc + pp] : src[(pc + pp) * ld + j0 + jj];
            }
        }
        both[slot] = p;   // a race packs twice, with the same result
        return p;
    }

    /**
     * Blocks [b0, b1) of KC steps of x's rows into panels of MR rows, with the packed product's step-by-step copy (row
     * by row, with strided stores, the backward product took 370 µs against 346–354): block pc at pc·rowsPad, row
     * panel r at + r·MR·kc.
     */
    private static void packRows(float[] x, int m, int k, int b0, int b1, float[] dst) {
        int rowsPad = (m + MR - 1) / MR * MR;
        for (int pc = b0 * KC; pc < Math.min(k, b1 * KC); pc += KC) {
            int kc = Math.min(KC, k - pc);
            PanelPacking.packA(false, x, 0, k, 0, m, pc, kc, kc, dst, pc * rowsPad);
        }
    }

    /** C[:, panels q0..q1) = x · op(W) on this thread from x packed by {@link #packRows}; the first block stores. */
    private static void columns(float[] xp, int m, int k, float[] b, int n, int q0, int q1, float[] c) {
        int rowsPad = (m + MR - 1) / MR * MR, nPad = (n + NR - 1) / NR * NR;
        float[] edge = PackedSgemm.EDGE.get();
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            for (int q = q0; q < q1; q++) {
                int bi = PANEL_BASE + pc * nPad + q * NR * kc, j = q * NR, cols = Math.min(NR, n - j);
                for (int i = 0; i < m; i += MR)
                    PackedSgemm.kernel(kc, xp, pc * rowsPad + i * kc, b, bi, c, i * n + j, n, Math.min(MR, m - i), cols, edge, pc == 0);
            }
        }
    }
}
