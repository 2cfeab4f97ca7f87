// The matrix product for CPU devices (PoCL): C = A·B for A (m,k) and B (k,n) read through row and column strides
// (a transpose is a swap of strides) and row-major C (m,n), one matrix per get_global_id(2); batch strides may be
// 0, which shares one operand across the batch.
// B is first packed into panels of 16 columns, (ceil(n/16), k, 16), zero-padded: a work-item then streams one
// contiguous panel instead of k rows n apart (which on a CPU alias in the cache when n is a power of two). A row-major
// B whose n is a multiple of 16 (a convolution's column matrix, an image's gradient) is read where it lies instead:
// its panels are already 16 contiguous values a step, and packing them was a second pass over the largest operand.
// P, p_panel and p_step say where step p of panel j starts: P + bt·p_batch + j·p_panel + p·p_step. A's element
// (i, p) is at A + bt·a_batch + i·a_row + (p / a_run)·a_jump + (p % a_run)·a_col: a_run = k for a plain matrix; a
// convolution's gradient (N, O, P) is read as the (O, N·P) matrix it is, runs of P values N times.
// A work-item keeps a register tile of ROWS (a -D definition) rows × two panels in real16 accumulators: one AVX-512
// register per row and panel in float32 (8 columns, one AVX2 register, ran LeNet's products at half the width), no
// local memory (on a CPU local memory is ordinary memory plus barriers). Work-items are ordered rows first, so
// consecutive ones reuse the same panels while they are still in cache.

// Work-item (p, panel, batch) moves step p of one panel, 16 values, as one vector store: a work-item per value spent
// more on its index arithmetic than on the copy (27% of a LeNet step on PoCL). Consecutive work-items read
// consecutive steps, which lie side by side when B is transposed.
kernel void pack_panels(global const real* B, int b_off, int b_batch, int b_row, int b_col, global real* P, int k, int n) {
    int p = get_global_id(0), panel = get_global_id(1), bt = get_global_id(2);
    if (p >= k) return;
    global const real* src = B + b_off + bt * b_batch + p * b_row;
    int j0 = panel * 16;
    real16 v;
    if (j0 + 16 <= n && b_col == 1) {
        v = vload16(0, src + j0);
    } else if (j0 + 16 <= n) {
        real t[16];
        for (int c = 0; c < 16; c++) t[c] = src[(j0 + c) * b_col];
        v = vload16(0, t);
    } else {
        real t[16];
        for (int c = 0; c < 16; c++) t[c] = j0 + c < n ? src[(j0 + c) * b_col] : 0;
        v = vload16(0, t);
    }
    vstore16(v, 0, P + ((bt * get_global_size(1) + panel) * k + p) * 16);
}

// Stores rows [i0, i0+ROWS) ∩ [0, m) of one panel's tile at column j0; the last panel is partly padding. With a bias
// (bias_mode 1: bias[i] on row i, a convolution's channel; 2: bias[j] on column j, a linear layer's output), each sum
// gets it as it is stored: one rounding after the sum, as a separate add of the stored product would do.
static void store_tile(global real* C, const real16* c, int i0, int j0, int m, int n, global const real* bias, int bias_mode) {
    real16 col = 0;
    if (bias_mode == 2) {
        real t[16];
        for (int j = 0; j < 16; j++) t[j] = j0 + j < n ? bias[j0 + j] : 0;
        col = vload16(0, t);
    }
    if (j0 + 16 <= n) {
        #pragma unroll
        for (int r = 0; r < ROWS; r++) {
            if (i0 + r >= m) continue;
            real16 v = bias_mode == 0 ? c[r] : bias_mode == 1 ? c[r] + bias[i0 + r] : c[r] + col;
            vstore16(v, 0, C + (i0 + r) * n + j0);
        }
    } else {
        for (int r = 0; r < ROWS && i0 + r < m; r++) {
            real v[16];
            vstore16(bias_mode == 0 ? c[r] : bias_mode == 1 ? c[r] + bias[i0 + r] : c[r] + col, 0, v);
            for (int j = j0; j < n; j++) C[(i0 + r) * n + j] = v[j - j0];
        }
    }
}

kernel void matmul_cpu(global const real* A, int a_off, int a_batch, int a_row, int a_col, int a_run, int a_jump,
                       global const real* P, int p_off, int p_batch, int p_panel, int p_step,
                       global real* C, int c_off, int c_batch, int m, int n, int k, global const real* bias, int bias_mode) {
    int pair = get_global_id(1), i0 = get_global_id(0) * ROWS, bt = get_global_id(2), j0 = pair * 32;
    if (j0 >= n || i0 >= m) return;
    // Two panels a work-item: 2·ROWS accumulators keep both of the core's FMA pipes busy through their latency. A
    // missing second panel (n ≤ j0 + 16) reads the first again and is never stored.
    bool two = j0 + 16 < n;
    A += a_off + bt * a_batch;
    const global real* P0 = P + p_off + bt * p_batch + 2 * pair * p_panel;
    const global real* P1 = two ? P0 + p_panel : P0;
    C += c_off + bt * c_batch;
    // Rows past m read row m-1 again (valid memory, never stored): the inner loop stays branch-free.
    const global real* a[ROWS];
    real16 c0[ROWS], c1[ROWS];
    #pragma unroll
    for (int r = 0; r < ROWS; r++) {
        a[r] = A + min(i0 + r, m - 1) * a_row;
        c0[r] = 0;
        c1[r] = 0;
    }
    // A's inner index walks runs of a_run steps a_col apart, each run a_jump after the one before (one run of k for
    // a plain matrix); B's steps are contiguous.
    for (int q0 = 0, ao = 0; q0 < k; q0 += a_run, ao += a_jump, P0 += a_run * p_step, P1 += a_run * p_step) {
        for (int p = 0; p < a_run; p++) {
            real16 b0 = vload16(0, P0 + p * p_step), b1 = vload16(0, P1 + p * p_step);
            #pragma unroll
            for (int r = 0; r < ROWS; r++) {
                real x = a[r][ao + p * a_col];
                c0[r] += x * b0;
                c1[r] += x * b1;
            }
        }
    }
    store_tile(C, c0, i0, j0, m, n, bias, bias_mode);
    if (two) store_tile(C, c1, i0, j0 + 16, m, n, bias, bias_mode);
}
