package io.github.knetj.cpu.fast;

import io.github.knetj.cpu.fast.PackedSgemm.ImageRows;
import io.github.knetj.cpu.fast.PackedSgemm.PanelSource;
import io.github.knetj.cpu.fast.PackedSgemm.RowMajorB;
import io.github.knetj.cpu.fast.PackedSgemm.RowSource;
import io.github.knetj.cpu.fast.PackedSgemm.StridedA;

import static io.github.knetj.cpu.fast.PackedSgemm.KC;
import static io.github.knetj.cpu.fast.PackedSgemm.MC;
import static io.github.knetj.cpu.fast.PackedSgemm.MR;
import static io.github.knetj.cpu.fast.PackedSgemm.NR;
import static io.github.knetj.cpu.fast.PackedSgemm.PANEL_BASE;
import static io.github.knetj.cpu.fast.PackedSgemm.ceil;

/**
 * {@link PackedSgemm}'s product for large operands on several threads, with each block of KC steps packed once and
 * shared. For each block the team first packs all of op(A)'s row panels and op(B)'s column panels together, then takes
 * tiles of C (MC rows × {@link #TILE_PANELS} column panels) from its counter, each tile walking its B panels from L1
 * and its A rows from L2 as the serial loops do.
 * <p>
 * Why: {@link PackedSgemm}'s grid gives each task its own block of C and its own packing, so with 2×2 blocks every
 * row of A and every column of B is packed twice, and packing is a copy that runs far below the multiply-adds' speed
 * (packing was 8% of the samples of a 2048² product on two threads, and packing a transposed A 8% of a char-LSTM step,
 * whose weight gradients' 1×4 grids packed A four times). The grid's four large tasks also left a core waiting at the
 * end whenever the other was slowed. The price is two parallel loops per block of steps instead of one per product,
 * so only large products come here.
 */
final class SharedPanels {
    /** From this many multiply-adds (about 0.3 ms on two cores) the two loops per block cost under 2% of the product. */
    static final long MIN = 1L << 26;
    /** Columns of a tile in panels: 120 × 128 × 256 multiply-adds, about 30 µs on one core. */
    private static final int TILE_PANELS = 4;
    /** Steps that one packing item copies across all of an operand's panels. */
    private static final int STEP_RUN = 16;
    private static final ThreadLocal<float[]> A_SHARED = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<float[]> B_SHARED = ThreadLocal.withInitial(() -> new float[0]);

    private SharedPanels() {}

    /**
     * Whether {@link #run} takes this product: large, on several threads, with A packed from a matrix (not an image), and
     * either A packed more than once by the grid ({@code gridColumns} > 1) or A transposed (its steps are rows in
     * memory). Where the grid splits only rows and A is stored by rows, each task packs its own A once, block by block
     * into L2; shared, the whole of A's block of steps went through L3 (6400×256×2048: 18 → 23 ms).
     */
    static boolean suits(RowSource a, int m, int n, int k, int gridColumns) {
        return a != null && !(a instanceof ImageRows) && (long) m * n * k >= MIN && Parallel.threads() > 1
                && (gridColumns > 1 || a instanceof StridedA sa && sa.ta());
    }

    /** C[m, n] (+)= op(A)·op(B) (+ bias on every row), storing instead of adding when {@code store}, on the whole team. */
    static void run(RowSource a, int m, int n, int k, PanelSource b, float[] c, int co, int ldc, boolean store, float[] bias) {
        // A matrix's rows in TallKernel's panels where they pay; MC is a multiple of both heights, so each row block
        // starts a panel.
        boolean tall = a instanceof StridedA && TallKernel.pays(m);
        int mr = tall ? TallKernel.TR : MR, rowPanels = ceil(m, mr), colPanels = ceil(n, NR);
        float[] ap = buffer(A_SHARED, rowPanels * mr * KC), bp = PackedSgemm.panelBuffer(B_SHARED, colPanels * NR * KC);
        int rowBlocks = ceil(m, MC), colGroups = ceil(colPanels, TILE_PANELS);
        boolean aBySteps = a instanceof StridedA sa && sa.ta(), bBySteps = b instanceof RowMajorB;
        for (int pc = 0; pc < k; pc += KC) {
            int p0 = pc, kc = Math.min(KC, k - pc);
            boolean first = pc == 0;
            // Packing, as one loop of independent items: A, then B, each by runs of steps across all its panels where
            // its steps are rows in memory (a transposed A, a row-major B), else by blocks of panels. Panel by panel,
            // such an operand was read 128 or 480 bytes at a time, 8 KB apart at n = 2048 (a stride the prefetcher
            // does not follow across pages); a run of steps reads each of its rows whole.
            int aItems = aBySteps ? ceil(kc, STEP_RUN) : rowBlocks, bItems = bBySteps ? ceil(kc, STEP_RUN) : colGroups;
            Parallel.forEach(aItems + bItems, (t0, t1) -> {
                for (int t = t0; t < t1; t++) {
                    if (t < aItems) {
                        if (aBySteps) {
                            int s0 = t * STEP_RUN, steps = Math.min(STEP_RUN, kc - s0);
                            if (tall) ((StridedA) a).packTall(0, m, p0 + s0, steps, kc, ap, s0 * mr);
                            else ((StridedA) a).packSteps(m, p0 + s0, steps, kc, ap, s0 * mr);
                        } else {
                            int ic = t * MC, mc = Math.min(MC, m - ic);
                            if (tall) ((StridedA) a).packTall(ic, mc, p0, kc, kc, ap, ic * kc);
                            else a.pack(ic, mc, p0, kc, ap, ic * kc);
                        }
                    } else if (bBySteps) {
                        int s0 = (t - aItems) * STEP_RUN, steps = Math.min(STEP_RUN, kc - s0);
                        for (int q = 0; q < colPanels; q++) b.pack(p0 + s0, steps, q * NR, Math.min(NR, n - q * NR), bp, PANEL_BASE + q * NR * kc + s0 * NR);
                    } else {
                        int q1 = Math.min(colPanels, (t - aItems + 1) * TILE_PANELS);
                        for (int q = (t - aItems) * TILE_PANELS; q < q1; q++) b.pack(p0, kc, q * NR, Math.min(NR, n - q * NR), bp, PANEL_BASE + q * NR * kc);
                    }
                }
            });
            Parallel.forEach(rowBlocks * colGroups, (t0, t1) -> {
                float[] edge = PackedSgemm.EDGE.get();
                for (int t = t0; t < t1; t++) tile(t / colGroups, t % colGroups, m, n, kc, ap, bp, c, co, ldc, store && first, first ? bias : null, edge, tall);
            });
        }
    }

    /** Row block i (MC rows) × column group g of C: each B panel once from L1 against the block's A panels. */
    private static void tile(int i, int g, int m, int n, int kc, float[] ap, float[] bp, float[] c, int co, int ldc, boolean store, float[] bias,
                             float[] edge, boolean tall) {
        int ic = i * MC, mc = Math.min(MC, m - ic), q1 = Math.min(ceil(n, NR), (g + 1) * TILE_PANELS), mr = tall ? TallKernel.TR : MR;
        for (int q = g * TILE_PANELS; q < q1; q++) {
            int j = q * NR, cols = Math.min(NR, n - j);
            for (int ir = 0; ir < mc; ir += mr) {
                int rows = Math.min(mr, mc - ir), ci = co + (ic + ir) * ldc + j;
                if (tall) TallKernel.kernel(kc, ap, (ic + ir) * kc, bp, PANEL_BASE + q * NR * kc, c, ci, ldc, rows, cols, edge, store);
                else PackedSgemm.kernel(kc, ap, (ic + ir) * kc, bp, PANEL_BASE + q * NR * kc, c, ci, ldc, rows, cols, edge, store);
                if (bias != null) PackedSgemm.addBias(c, ci, ldc, rows, cols, bias, j);
            }
        }
    }

    /** The calling thread's shared buffer, grown to at least {@code size} floats (reused by its later products). */
    private static float[] buffer(ThreadLocal<float[]> local, int size) {
        float[] b = local.get();
        if (b.length < size) local.set(b = new float[size]);
        return b;
    }
}
