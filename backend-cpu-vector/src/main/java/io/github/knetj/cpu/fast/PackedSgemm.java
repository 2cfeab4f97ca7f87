package io.github.knetj.cpu.fast;

import io.github.knetj.cpu.ScalarGemm;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The packed, register-blocked float32 matrix product (GotoBLAS structure). For each block of KC steps of the inner
 * dimension, B is packed into panels of NR = 2 vectors of columns and A, block by block of MC rows, into panels of
 * MR = 5 rows; a micro-kernel then keeps a 5×2-vector tile of C in ten registers while it walks the two panels.
 * Transposes are handled while packing and edges by zero-padded panels. In parallel, C is cut into a grid of about
 * 2·threads blocks as square as the shape allows, each computed serially by one task (one fork/join per product; each
 * task packs its own panels, which costs 1/rows + 1/columns of its work). On 512-bit vectors A packed from a matrix
 * goes into panels of ten rows instead where that pays, for {@link TallKernel}'s 10×2-vector tiles ({@link PanelPacking}
 * packs both operands). Its float64 twin {@link PackedDgemm} has the same structure. Two shapes skip packing where it
 * costs more than it saves: A·Bᵀ with long rows and few of them goes to {@link DotSgemm}, and a convolution's column
 * matrix as A is read from the image in place ({@link ImageRows}).
 */
final class PackedSgemm {
    /**
     * The machine's widest vectors unless {@code -Dknetj.cpu.gemmBits=256} caps them. On a Zen 5 (two full-width 512-bit
     * FMA pipes) 512-bit tiles ran the 2048² product at 400–420 GFLOP/s on two threads against 229 with 256-bit ones;
     * on the earlier Zen machine, which split 512-bit operations in two, 256-bit had measured faster. 10 accumulators
     * + 3 fit 16 registers (AVX2), and AVX-512's 32 leave room.
     */
    static final VectorSpecies<Float> S = VectorSpecies.of(float.class,
            VectorShape.forBitSize(Math.min(Integer.getInteger("knetj.cpu.gemmBits", 512), FloatVector.SPECIES_PREFERRED.vectorBitSize())));
    /**
     * At most 256-bit vectors, for the convolution kernels that walk output rows (column packing and folding, Winograd's
     * transforms, the direct weight gradient): LeNet's rows of 24 and 8 cells and ResNet's of 28 and 14 are whole
     * 8-float vectors, and with 16-float ones those kernels fell back to scalar loops (LeNet gained nothing from the
     * 512-bit tiles until they kept these).
     */
    static final VectorSpecies<Float> ROWS = VectorSpecies.of(float.class, VectorShape.forBitSize(Math.min(256, S.vectorBitSize())));
    static final int L = S.length(), MR = 5, NR = 2 * L;
    /** Whether the machine has 16 vector registers, not AVX-512's 32 (AVX2: 256-bit vectors at most); see {@link #kernel}'s loop. */
    static final boolean SIXTEEN_REGISTERS = FloatVector.SPECIES_PREFERRED.vectorBitSize() < 512;
    static final int KC = 256, MC = 120;
    private static final int NC = 4096;
    /** Below this many multiply-adds packing costs more than it saves. */
    private static final long SMALL = 16 * 16 * 16;
    /**
     * Below this many multiply-adds (about 20 µs on one core) a product runs on the calling thread. With the fork/join
     * pool this had to be 8 M: a round trip cost tens of µs and the MLP's 100×784×100 products ran slower on two threads
     * than on one. With {@link Parallel}'s spinning team, the MLP's weight gradient went from 210 to 123–160 µs.
     */
    static final long PARALLEL = 1 << 20;
    private static final ThreadLocal<float[]> A_BLOCK = ThreadLocal.withInitial(() -> new float[MC * KC]);
    private static final ThreadLocal<float[]> B_BLOCK = ThreadLocal.withInitial(() -> new float[0]);
    /**
     * Where B's panels start in their buffers ({@link #panelBuffer}): 12 floats, so that with the 16-byte header of a
     * float[] every panel step is one 64-byte line. A 512-bit load across two lines costs two; on the 2026-12-07 Xeon
     * (AMX, 2 MB L2) the micro-kernel ran 143–155 GFLOP/s on one core with its B loads split and 167–171 aligned.
     * (JDK 25's opt-in compact object headers make the header 12 bytes; the panels are then 4 bytes off, as unaligned as
     * without this offset, and the results the same.)
     */
    static final int PANEL_BASE = 12;
    /**
     * Packed-B buffers are at least this many floats (4 MB): G1 then allocates them as humongous objects, which start on
     * a region boundary (regions of up to 8 MB, heaps up to 16 GB), so that {@link #PANEL_BASE} aligns their panels.
     * A smaller array lands anywhere 8-byte aligned. ZGC and Shenandoah also place large arrays on page or region bounds.
     */
    private static final int MIN_PANEL_FLOATS = 1 << 20;

    /**
     * The calling thread's buffer in {@code local} for {@code floats} of packed B panels from {@link #PANEL_BASE}, grown
     * when too small, and never under {@link #MIN_PANEL_FLOATS} so that G1 aligns it.
     */
    static float[] panelBuffer(ThreadLocal<float[]> local, int floats) {
        float[] b = local.get();
        if (b.length < PANEL_BASE + floats) local.set(b = new float[Math.max(MIN_PANEL_FLOATS, PANEL_BASE + floats)]);
        return b;
    }
    /** Each thread's scratch tile for {@link #kernel}'s edge epilogue, shared by every caller of the kernel on it. */
    static final ThreadLocal<float[]> EDGE = ThreadLocal.withInitial(() -> new float[Math.max(MR, TallKernel.TR) * NR]);

    static { profileEveryEpilogue(); }

    private PackedSgemm() {}

    /**
     * Runs each case of {@link #kernel}'s epilogue (full tile or edge, add or store) before any real product, so that the
     * branch profile C2 compiles from has seen them all. A case C2 had never seen became an uncommon trap: the first
     * edge tile or first stored tile of a new shape then sent the compiled kernel back to the interpreter, where Vector
     * API code runs 10–100× slower, until it was recompiled (-Xlog:deoptimization showed these "unstable_if" traps at
     * each change of workload; conv2's fwd+bwd in `bench conv` read 64 and 163 ms instead of 4–8 ms twice). With kc = 0
     * the multiply-add loops are skipped: only the epilogues run, on zero sums. Loops must not be warmed this way: C2
     * sizes its unrolling by the trip counts it has seen, and 2000 calls of two steps each made packA's copy and the
     * kernel slower for good (the char-LSTM's recurrent products 325 → 365 µs).
     */
    private static void profileEveryEpilogue() {
        int tall = TallKernel.TR;
        float[] a = new float[tall], b = new float[NR], c = new float[tall * NR], edge = new float[tall * NR];
        for (int i = 0; i < 2000; i++) {
            kernel(0, a, 0, b, 0, c, 0, NR, (i & 1) == 0 ? MR : MR - 1, (i & 2) == 0 ? NR : NR - 1, edge, (i & 4) == 0);
            InPlaceKernels.strided(0, a, 0, 1, MR, b, 0, c, 0, NR, (i & 2) == 0 ? NR : NR - 1, edge, (i & 4) == 0);
            if (TallKernel.ENABLED) TallKernel.kernel(0, a, 0, b, 0, c, 0, NR, (i & 1) == 0 ? tall : tall - 1, (i & 2) == 0 ? NR : NR - 1, edge, (i & 4) == 0);
        }
    }

    /** Packs columns [j, j+cols) and steps [pc, pc+kc) of op(B) into one panel at dst[off ..], as {@link PanelPacking#packB} does. */
    @FunctionalInterface
    interface PanelSource {
        void pack(int pc, int kc, int j, int cols, float[] dst, int off);
    }

    /** Packs rows [ic, ic+mc) and steps [pc, pc+kc) of op(A) into panels of MR rows at dst[off ..], as {@link PanelPacking#packA} does. */
    @FunctionalInterface
    interface RowSource {
        void pack(int ic, int mc, int pc, int kc, float[] dst, int off);
    }

    /**
     * A convolution's column matrix read in place as A: row r, step q is x[xo + rowBase[r] + colBase[q]], where colBase runs
     * up by one within each segment of {@code seg} steps (an output row at stride 1). {@link #block} then runs
     * {@link InPlaceKernels#rows} on the image itself for blocks that start and end on segment bounds, instead of packing:
     * with n = 64 output channels, packing the 3×3 layer's 576-row column matrix cost a third of its weight gradient's
     * multiply-adds. {@link #pack} is the fallback for other blocks.
     */
    record ImageRows(float[] x, int xo, int[] rowBase, int[] colBase, int seg, RowSource packed) implements RowSource {
        @Override public void pack(int ic, int mc, int pc, int kc, float[] dst, int off) { packed.pack(ic, mc, pc, kc, dst, off); }

        boolean direct(int pc, int kc) { return pc % seg == 0 && kc % seg == 0; }
    }

    static void gemm(boolean ta, boolean tb, int m, int n, int k, float[] a, int ao, int lda, float[] b, int bo, int ldb,
                     float[] c, int co, int ldc, boolean parallel) {
        if (m == 0 || n == 0 || k == 0) return;
        if (packs(ta, tb, m, n, k)) gemm(ta, m, n, k, a, ao, lda, panels(tb, b, bo, ldb), c, co, ldc, parallel);
        else if ((long) m * n * k <= SMALL) ScalarGemm.INSTANCE.gemm(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, false);
        else DotSgemm.gemm(m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, parallel);
    }

    /**
     * C = op(A)·op(B), overwriting C (the first block of steps stores its sums); false, having done nothing, for the
     * products {@link #gemm} hands to other kernels (tiny ones, dot products), which only add.
     */
    static boolean gemmInto(boolean ta, boolean tb, int m, int n, int k, float[] a, int ao, int lda, float[] b, int bo, int ldb,
                            float[] c, int co, int ldc, boolean parallel) {
        return gemmInto(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, null, parallel);
    }

    /**
     * C = op(A)·op(B) + bias on every row, overwriting C, when {@code bias} (n) is not null: each tile gets the bias
     * while it is still in L1, instead of in a pass of its own over C (a linear layer's bias add, 3% of a GPT step).
     */
    static boolean gemmInto(boolean ta, boolean tb, int m, int n, int k, float[] a, int ao, int lda, float[] b, int bo, int ldb,
                            float[] c, int co, int ldc, float[] bias, boolean parallel) {
        if (m == 0 || n == 0) return true;
        if (k == 0 || !packs(ta, tb, m, n, k)) return false;
        run(new StridedA(ta, a, ao, lda), null, m, n, k, panels(tb, b, bo, ldb), c, co, ldc, parallel, true, bias);
        return true;
    }

    /** Whether {@link #gemm} runs the packed product: not for tiny products (scalar loops) nor A·Bᵀ as dot products. */
    private static boolean packs(boolean ta, boolean tb, int m, int n, int k) {
        return (long) m * n * k > SMALL && !(!ta && tb && DotSgemm.suits(m, n, k));
    }

    /** op(B)'s panels: packed from a transposed B, read in place from a row-major one where they are whole. */
    private static PanelSource panels(boolean tb, float[] b, int bo, int ldb) {
        return tb ? (pc, kc, j, cols, dst, off) -> PanelPacking.packB(true, b, bo, ldb, pc, kc, j, cols, dst, off) : new RowMajorB(b, bo, ldb);
    }

    /**
     * An untransposed B, whose rows already hold each panel's NR columns side by side, so that its steps are rows in
     * memory ({@link SharedPanels} packs it by runs of steps). It was once read in place by the micro-kernel where a
     * packed panel would be used once (the MLP's weight gradient: 107 → 104 µs), but a B step that is a variable stride
     * keeps C2 from hoisting the kernel's range checks, which cost more in every other product.
     */
    record RowMajorB(float[] b, int bo, int ldb) implements PanelSource {
        @Override public void pack(int pc, int kc, int j, int cols, float[] dst, int off) { PanelPacking.packB(false, b, bo, ldb, pc, kc, j, cols, dst, off); }
    }

    /**
     * op(A) as stored: {@link #block} reads its full row panels in place, row r and step p at {@link #at}(r, p) with
     * strides {@link #rowStride} and {@link #stepStride}, instead of packing them. Packing is a scalar copy, about a
     * quarter of the multiply-adds' time where each panel meets few of B's (n ≤ 512: the GPT's weight gradients
     * ran at 161 GFLOP/s on one thread).
     */
    record StridedA(boolean ta, float[] a, int ao, int lda) implements RowSource {
        @Override public void pack(int ic, int mc, int pc, int kc, float[] dst, int off) { PanelPacking.packA(ta, a, ao, lda, ic, mc, pc, kc, dst, off); }

        /** Steps [pc, pc+steps) of every row into the panels of a block of kc steps, at off + r·MR·kc + p·MR + ii. */
        void packSteps(int m, int pc, int steps, int kc, float[] dst, int off) { PanelPacking.packA(ta, a, ao, lda, 0, m, pc, steps, kc, dst, off); }

        /** Rows [ic, ic+mc), steps [pc, pc+steps) of a block of kc steps into {@link TallKernel}'s panels of TR rows at off. */
        void packTall(int ic, int mc, int pc, int steps, int kc, float[] dst, int off) { PanelPacking.packTall(ta, a, ao, lda, ic, mc, pc, steps, kc, dst, off); }

        int at(int r, int p) { return ta ? ao + p * lda + r : ao + r * lda + p; }

        int rowStride() { return ta ? 1 : lda; }

        int stepStride() { return ta ? lda : 1; }

        /**
         * Whether to read in place for a block that meets this many of B's panels. With more, each packed panel is
         * reused enough to pay for its copy: on one thread 100×784×100 (25 panels) ran at 182 GFLOP/s in place against
         * 199 packed. A transposed A whose rows are a multiple of 4 KB apart stays packed: its steps then all fall in
         * the same cache sets (1024×256×100 ran at 140 against 192).
         */
        boolean inPlace(int panels) { return panels <= MAX_IN_PLACE_PANELS && !(ta && lda % 1024 == 0); }
    }

    /** See {@link StridedA#inPlace}. */
    private static final int MAX_IN_PLACE_PANELS = 8;

    /** C += op(A)·B where B is never stored whole: {@code b} packs its panels (a convolution's columns, read from the image). */
    static void gemm(boolean ta, int m, int n, int k, float[] a, int ao, int lda, PanelSource b, float[] c, int co, int ldc, boolean parallel) {
        run(new StridedA(ta, a, ao, lda), null, m, n, k, b, c, co, ldc, parallel, false, null);
    }

    /** C += A·B where neither is stored whole: {@code a} packs A's row panels (a convolution's column matrix), {@code b} B's. */
    static void gemm(RowSource a, int m, int n, int k, PanelSource b, float[] c, int co, int ldc, boolean parallel) {
        run(a, null, m, n, k, b, c, co, ldc, parallel, false, null);
    }

    /**
     * op(A) packed once, for many products with the same A: a convolution's weights, used for every image of a batch
     * (packing them per image cost about as much as a third of conv2's forward product in LeNet). Block pc of KC steps
     * starts at pc·rows (m padded to whole panels), and its row panel r at + r·h·kc, h = MR, or {@link TallKernel#TR}
     * when {@code tall}, as {@link PanelPacking#packA} and {@link PanelPacking#packTall} lay them out.
     */
    record PackedA(float[] data, int m, int k, int rows, boolean tall, float[] source, int ao, int lda, boolean ta) {
        boolean packs(boolean ta, int m, int k, float[] a, int ao, int lda) {
            return source == a && this.ao == ao && this.lda == lda && this.ta == ta && this.m == m && this.k == k;
        }
    }

    static PackedA pack(boolean ta, int m, int k, float[] a, int ao, int lda) {
        boolean tall = TallKernel.pays(m);
        int rows = tall ? ceil(m, TallKernel.TR) * TallKernel.TR : ceil(m, MR) * MR;
        float[] d = new float[rows * k];
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            if (tall) PanelPacking.packTall(ta, a, ao, lda, 0, m, pc, kc, kc, d, pc * rows);
            else PanelPacking.packA(ta, a, ao, lda, 0, m, pc, kc, d, pc * rows);
        }
        return new PackedA(d, m, k, rows, tall, a, ao, lda, ta);
    }

    /** C += A·B with A packed by {@link #pack}. */
    static void gemm(PackedA a, int n, PanelSource b, float[] c, int co, int ldc, boolean parallel) {
        run(null, a, a.m(), n, a.k(), b, c, co, ldc, parallel, false, null);
    }

    /**
     * C = A·B with A packed by {@link #pack}: C is overwritten, so it needs no zeroing first. Backward-input's column
     * matrix (2.4 MB per image for a 3×3 64→64 layer) was zeroed, then read and written back by every tile.
     */
    static void gemmInto(PackedA a, int n, PanelSource b, float[] c, int co, int ldc, boolean parallel) {
        run(null, a, a.m(), n, a.k(), b, c, co, ldc, parallel, true, null);
    }

    private static void run(RowSource a, PackedA pre, int m, int n, int k, PanelSource b, float[] c, int co, int ldc, boolean parallel, boolean store,
                            float[] bias) {
        if (m == 0 || n == 0 || k == 0) return;
        if (!parallel || Parallel.threads() == 1 || (long) m * n * k < PARALLEL) {
            block(0, m, 0, n, k, a, pre, b, c, co, ldc, store, bias);
            return;
        }
        int rowPanels = ceil(m, ROW_UNIT), colPanels = ceil(n, NR), parts = 2 * Parallel.threads();
        boolean columnsOnly = splitsColumnsOnly(a, pre, m, n);
        int[] grid = columnsOnly ? new int[] {1, Math.min(colPanels, parts)} : grid(rowPanels, colPanels, parts);
        int pr = grid[0], pc = grid[1];
        if (pre == null && !columnsOnly && SharedPanels.suits(a, m, n, k, pc)) {
            SharedPanels.run(a, m, n, k, b, c, co, ldc, store, bias);
            return;
        }
        Parallel.forEach(pr * pc, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int i = t / pc, j = t % pc;
                int r0 = Math.min(m, i * rowPanels / pr * ROW_UNIT), r1 = Math.min(m, (i + 1) * rowPanels / pr * ROW_UNIT);
                int c0 = Math.min(n, j * colPanels / pc * NR), c1 = Math.min(n, (j + 1) * colPanels / pc * NR);
                if (r1 > r0 && c1 > c0) block(r0, r1, c0, c1, k, a, pre, b, c, co, ldc, store, bias);
            }
        });
    }

    /**
     * Whether {@link #run} splits only C's columns: where A is read in place ({@link StridedA#inPlace}) and is one block
     * of {@link #MC} rows, splitting its rows saves no packing (nothing packs them) while every row split packs B's
     * panels again. The MLP's x·W1ᵀ (100×784 by a transposed 100×784) packed W1 twice on a 2×2 grid, a scalar
     * transpose that took 15% of the main thread's samples; split by columns it takes 121–135 µs on two threads
     * against 171–176.
     */
    static boolean splitsColumnsOnly(RowSource a, PackedA pre, int m, int n) {
        return pre == null && m <= MC && ceil(n, NR) >= Parallel.threads() && a instanceof StridedA sa && sa.inPlace(ceil(n, NR));
    }

    /**
     * The grid's rows are cut at multiples of this: both panel heights, so that a block of a {@link PackedA} starts a
     * panel of either.
     */
    static final int ROW_UNIT = TallKernel.ENABLED ? TallKernel.TR : MR;

    /** Rows × columns of blocks, at most {@code parts} of them, with the smallest packing overhead pr/rows + pc/cols. */
    static int[] grid(int rowPanels, int colPanels, int parts) {
        for (int p = parts; p > 1; p--) {
            int[] best = null;
            double cost = Double.MAX_VALUE;
            for (int pr = 1; pr <= p; pr++) {
                if (p % pr != 0 || pr > rowPanels || p / pr > colPanels) continue;
                double c = (double) pr / (rowPanels * ROW_UNIT) + (double) (p / pr) / (colPanels * NR);
                if (c < cost) { cost = c; best = new int[] {pr, p / pr}; }
            }
            if (best != null) return best;
        }
        return new int[] {1, 1};
    }

    /** C[r0:r1, c0:c1] (+)= op(A)[r0:r1, :]·op(B)[:, c0:c1] on this thread: the GotoBLAS loops around the micro-kernel. */
    private static void block(int r0, int r1, int c0, int c1, int k, RowSource a, PackedA pre, PanelSource b, float[] c, int co, int ldc, boolean store,
                              float[] bias) {
        int m = r1 - r0, n = c1 - c0;
        float[] aPack = A_BLOCK.get(), edge = EDGE.get(), bPack = panelBuffer(B_BLOCK, ceil(Math.min(n, NC), NR) * NR * KC);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc), panels = ceil(nc, NR);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                for (int q = 0; q < panels; q++) b.pack(pc, kc, c0 + jc + q * NR, Math.min(NR, nc - q * NR), bPack, PANEL_BASE + q * NR * kc);
                if (a instanceof ImageRows rows && rows.direct(pc, kc)) {
                    for (int q = 0; q < panels; q++) {
                        int j = c0 + jc + q * NR, cols = Math.min(NR, nc - q * NR);
                        for (int ir = 0; ir < m; ir += MR)
                            InPlaceKernels.rows(kc, rows, r0 + ir, Math.min(MR, m - ir), pc, bPack, PANEL_BASE + q * NR * kc, c, co + (r0 + ir) * ldc + j, ldc, cols, edge, store && pc == 0);
                    }
                    continue;
                }
                StridedA strided = a instanceof StridedA sa && sa.inPlace(panels) ? sa : null;
                // Tall panels for A packed from a matrix, here or once beforehand, where they pay for this block's rows.
                boolean tall = pre != null ? pre.tall() : strided == null && a instanceof StridedA && TallKernel.pays(m);
                int mr = tall ? TallKernel.TR : MR;
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic), full = strided == null ? 0 : mc / MR * MR;
                    float[] ap = aPack;
                    int aBase = 0;
                    if (strided != null) {
                        if (full < mc) strided.pack(r0 + ic + full, mc - full, pc, kc, aPack, 0);   // only the last, partial panel
                    } else if (tall && pre == null) ((StridedA) a).packTall(r0 + ic, mc, pc, kc, kc, aPack, 0);
                    else if (pre == null) a.pack(r0 + ic, mc, pc, kc, aPack, 0);
                    else {
                        ap = pre.data();
                        aBase = pc * pre.rows() + (r0 + ic) * kc;
                    }
                    for (int q = 0; q < panels; q++) {
                        int j = c0 + jc + q * NR, cols = Math.min(NR, nc - q * NR), bi = PANEL_BASE + q * NR * kc;
                        for (int ir = 0; ir < mc; ir += mr) {
                            int ci = co + (r0 + ic + ir) * ldc + j, rows = Math.min(mr, mc - ir);
                            if (ir < full)
                                InPlaceKernels.strided(kc, strided.a(), strided.at(r0 + ic + ir, pc), strided.rowStride(), strided.stepStride(), bPack, bi, c, ci, ldc, cols, edge, store && pc == 0);
                            else if (tall)
                                TallKernel.kernel(kc, ap, aBase + ir * kc, bPack, bi, c, ci, ldc, rows, cols, edge, store && pc == 0);
                            else
                                kernel(kc, ap, aBase + (strided != null ? 0 : ir * kc), bPack, bi, c, ci, ldc, rows, cols, edge, store && pc == 0);
                            if (bias != null && pc == 0) addBias(c, ci, ldc, rows, cols, bias, j);
                        }
                    }
                }
            }
        }
    }

    static int ceil(int x, int d) { return (x + d - 1) / d; }

    /** Adds bias[j ..] to each of the rows × cols tile at c[ci ..], just stored. */
    static void addBias(float[] c, int ci, int ldc, int rows, int cols, float[] bias, int j) {
        if (cols == NR) {
            FloatVector b0 = FloatVector.fromArray(S, bias, j), b1 = FloatVector.fromArray(S, bias, j + L);
            for (int r = 0, o = ci; r < rows; r++, o += ldc) {
                FloatVector.fromArray(S, c, o).add(b0).intoArray(c, o);
                FloatVector.fromArray(S, c, o + L).add(b1).intoArray(c, o + L);
            }
            return;
        }
        for (int r = 0, o = ci; r < rows; r++, o += ldc) for (int q = 0; q < cols; q++) c[o + q] += bias[j + q];
    }

    /**
     * C[rows, cols] += the 5×NR product of one A panel and one B panel; full tiles go straight to C, edges through
     * {@code edge}. Package-private: {@link RecurrentMatmul} runs the same micro-kernel on its once-packed weights.
     */
    static void kernel(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc, int rows, int cols, float[] edge) {
        kernel(kc, ap, ai, bp, bi, c, ci, ldc, rows, cols, edge, false);
    }

    /**
     * The same, storing the tile into C instead of adding to it when {@code store}; B's step p is at bi + p·NR, in a
     * packed panel. {@link InPlaceKernels#strided} is its twin for A read in place: with A's strides as variables here,
     * packed products ran 5–10% slower.
     */
    static void kernel(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc, int rows, int cols, float[] edge, boolean store) {
        kernel(kc, ap, ai, bp, bi, NR, c, ci, ldc, rows, cols, edge, store);
    }

    /**
     * {@link #kernel} with B's step {@code bs} (always NR) passed in, so that where it is used (16 vector registers) the
     * compiled loop sees a stride it cannot fold: too large to inline (941 bytes of bytecode), this method is compiled on
     * its own, with bs a variable.
     */
    private static void kernel(int kc, float[] ap, int ai, float[] bp, int bi, int bs, float[] c, int ci, int ldc, int rows, int cols, float[] edge, boolean store) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00, c41 = c00;
        // With 32 vector registers (AVX-512) B steps by the constant NR: C2 then hoists the range checks of its loads out
        // of the loop (stepping by a variable, Objects.checkIndex held 10% of the samples of a 2048² product on the
        // 2026-12-07 Xeon). Without checks in the loop, C2 issues all five broadcasts of A at the top of each step, and
        // 10 sums + 2 B vectors + 5 broadcasts are 17 live vectors: with AVX2's 16 registers one sum went to the stack
        // and back every step, and the kernel ran 33–35 GFLOP/s on one core of the 2026-12-08 Zen 3 (peak 101). With a
        // variable step each B load keeps its check, the broadcasts issue two at a time between the multiply-adds, and
        // nothing spills: 58–94.
        int step = SIXTEEN_REGISTERS ? bs : NR;
        for (int p = 0; p < kc; p++, ai += MR, bi += step) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
        }
        if (rows == MR && cols == NR && store) {
            c00.intoArray(c, ci); c01.intoArray(c, ci + L);
            c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + L);
            c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + L);
            c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + L);
            c40.intoArray(c, ci + 4 * ldc); c41.intoArray(c, ci + 4 * ldc + L);
            return;
        }
        if (rows == MR && cols == NR) {
            // Written out: a helper taking the sums (an addInto) was at times not inlined, as a call C2 deemed cold, and
            // then every fma of the loop above boxed its result (LeNet's and the 3×3 layer's products ran ~10× slower).
            FloatVector.fromArray(S, c, ci).add(c00).intoArray(c, ci);
            FloatVector.fromArray(S, c, ci + L).add(c01).intoArray(c, ci + L);
            FloatVector.fromArray(S, c, ci + ldc).add(c10).intoArray(c, ci + ldc);
            FloatVector.fromArray(S, c, ci + ldc + L).add(c11).intoArray(c, ci + ldc + L);
            FloatVector.fromArray(S, c, ci + 2 * ldc).add(c20).intoArray(c, ci + 2 * ldc);
            FloatVector.fromArray(S, c, ci + 2 * ldc + L).add(c21).intoArray(c, ci + 2 * ldc + L);
            FloatVector.fromArray(S, c, ci + 3 * ldc).add(c30).intoArray(c, ci + 3 * ldc);
            FloatVector.fromArray(S, c, ci + 3 * ldc + L).add(c31).intoArray(c, ci + 3 * ldc + L);
            FloatVector.fromArray(S, c, ci + 4 * ldc).add(c40).intoArray(c, ci + 4 * ldc);
            FloatVector.fromArray(S, c, ci + 4 * ldc + L).add(c41).intoArray(c, ci + 4 * ldc + L);
            return;
        }
        c00.intoArray(edge, 0);
        c01.intoArray(edge, L);
        c10.intoArray(edge, NR);
        c11.intoArray(edge, NR + L);
        c20.intoArray(edge, 2 * NR);
        c21.intoArray(edge, 2 * NR + L);
        c30.intoArray(edge, 3 * NR);
        c31.intoArray(edge, 3 * NR + L);
        c40.intoArray(edge, 4 * NR);
        c41.intoArray(edge, 4 * NR + L);
        edgeToC(edge, c, ci, ldc, rows, cols, store);
    }

    /**
     * Adds (or stores, when {@code store}) the first {@code rows} × {@code cols} of an edge tile's sums, left in
     * {@code edge} by a micro-kernel, to C at ci. A helper, unlike the full tiles' epilogues, because it takes arrays,
     * not vectors: C2 has nothing to box when it leaves it uninlined.
     */
    static void edgeToC(float[] edge, float[] c, int ci, int ldc, int rows, int cols, boolean store) {
        if (cols == NR) {
            // Whole rows, fewer than MR: the last panel of 64 state rows (12·5 + 4) in every recurrent product; element
            // by element, such a tile's epilogue cost a twelfth of its multiply-adds.
            for (int r = 0, o = ci; r < rows; r++, o += ldc) {
                FloatVector e0 = FloatVector.fromArray(S, edge, r * NR), e1 = FloatVector.fromArray(S, edge, r * NR + L);
                if (!store) {
                    e0 = FloatVector.fromArray(S, c, o).add(e0);
                    e1 = FloatVector.fromArray(S, c, o + L).add(e1);
                }
                e0.intoArray(c, o);
                e1.intoArray(c, o + L);
            }
            return;
        }
        for (int r = 0; r < rows; r++) for (int j = 0; j < cols; j++) c[ci + r * ldc + j] = (store ? 0 : c[ci + r * ldc + j]) + edge[r * NR + j];
    }
}
