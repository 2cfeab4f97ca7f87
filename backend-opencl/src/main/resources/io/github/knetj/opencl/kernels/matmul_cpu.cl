// The matrix product for CPU devices (PoCL): C = A·B for A (m,k) and B (k,n) read through row and column strides
// (a transpose is a swap of strides) and row-major C (m,n), one matrix per get_global_id(2); batch strides may be
// 0, which shares one operand across the batch.
// B is first packed into panels of 8 columns, (ceil(n/8), k, 8), zero-padded: a work-item then streams one
// contiguous panel instead of k rows n apart (which on a CPU alias in the cache when n is a power of two).
// A work-item keeps a register tile of ROWS (a -D definition) rows × 8 columns in real8 accumulators: wide SIMD, no local memory
// (on a CPU local memory is ordinary memory plus barriers). Work-items are ordered rows first, so consecutive ones
// reuse the same panel while it is still in cache.

// Work-item (p, panel, batch) moves step p of one panel, 8 values, as one vector store: a work-item per value spent
// more on its index arithmetic than on the copy (27% of a LeNet step on PoCL). Consecutive work-items read
// consecutive steps, which lie side by side when B is transposed.
kernel void pack_panels(global const real* B, int b_off, int b_batch, int b_row, int b_col, global real* P, int k, int n) {
    int p = get_global_id(0), panel = get_global_id(1), bt = get_global_id(2);
    if (p >= k) return;
    global const real* src = B + b_off + bt * b_batch + p * b_row;
    int j0 = panel * 8;
    real8 v;
    if (j0 + 8 <= n && b_col == 1) {
        v = vload_real8(0, src + j0);
    } else if (j0 + 8 <= n) {
        v = (real8)(src[j0 * b_col], src[(j0 + 1) * b_col], src[(j0 + 2) * b_col], src[(j0 + 3) * b_col],
                    src[(j0 + 4) * b_col], src[(j0 + 5) * b_col], src[(j0 + 6) * b_col], src[(j0 + 7) * b_col]);
    } else {
        real t[8];
        for (int c = 0; c < 8; c++) t[c] = j0 + c < n ? src[(j0 + c) * b_col] : 0;
        v = vload_real8(0, t);
    }
    vstore8(v, 0, P + ((bt * get_global_size(1) + panel) * k + p) * 8);
}

kernel void matmul_cpu(global const real* A, int a_off, int a_batch, int a_row, int a_col,
                       global const real* P, int p_batch,
                       global real* C, int c_off, int c_batch, int m, int n, int k) {
    int panel = get_global_id(1), i0 = get_global_id(0) * ROWS, bt = get_global_id(2), j0 = panel * 8;
    if (j0 >= n || i0 >= m) return;
    A += a_off + bt * a_batch;
    P += bt * p_batch + panel * 8 * k;
    C += c_off + bt * c_batch;
    // Rows past m read row m-1 again (valid memory, never stored): the inner loop stays branch-free.
    const global real* a[ROWS];
    real8 c[ROWS];
    #pragma unroll
    for (int r = 0; r < ROWS; r++) {
        a[r] = A + min(i0 + r, m - 1) * a_row;
        c[r] = 0;
    }
    for (int p = 0; p < k; p++) {
        real8 b = vload_real8(p, P);
        #pragma unroll
        for (int r = 0; r < ROWS; r++) c[r] += a[r][p * a_col] * b;
    }
    if (j0 + 8 <= n) {
        #pragma unroll
        for (int r = 0; r < ROWS; r++) if (i0 + r < m) vstore8(c[r], 0, C + (i0 + r) * n + j0);
    } else {
        // The last panel is partly padding: store only its real columns.
        for (int r = 0; r < ROWS && i0 + r < m; r++) {
            real v[8];
            vstore8(c[r], 0, v);
            for (int j = j0; j < n; j++) C[(i0 + r) * n + j] = v[j - j0];
        }
    }
}
