// The matrix product for CPU devices (PoCL): C = A·B for row-major A (m,k), B (k,n), C (m,n), one matrix per
// get_global_id(2). A work-item keeps a register tile of ROWS rows × 8 columns as real8 accumulators and streams
// rows of B with vload8: wide SIMD loads, no local memory (on a CPU it is ordinary memory plus barriers).
// The batch strides may be 0, which shares one operand across the batch.

#define ROWS 4

kernel void matmul_cpu(global const real* A, int a_off, int a_batch,
                       global const real* B, int b_off, int b_batch,
                       global real* C, int c_off, int c_batch, int m, int n, int k) {
    int j0 = get_global_id(0) * 8, i0 = get_global_id(1) * ROWS, bt = get_global_id(2);
    if (j0 >= n || i0 >= m) return;
    A += a_off + bt * a_batch;
    B += b_off + bt * b_batch;
    C += c_off + bt * c_batch;
    // Rows past m read row m-1 again (valid memory, never stored): the inner loop stays branch-free.
    const global real* a0 = A + min(i0 + 0, m - 1) * k;
    const global real* a1 = A + min(i0 + 1, m - 1) * k;
    const global real* a2 = A + min(i0 + 2, m - 1) * k;
    const global real* a3 = A + min(i0 + 3, m - 1) * k;
    if (j0 + 8 <= n) {
        real8 c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        for (int p = 0; p < k; p++) {
            real8 b = vload_real8(0, B + p * n + j0);
            c0 += a0[p] * b;
            c1 += a1[p] * b;
            c2 += a2[p] * b;
            c3 += a3[p] * b;
        }
        vstore8(c0, 0, C + i0 * n + j0);
        if (i0 + 1 < m) vstore8(c1, 0, C + (i0 + 1) * n + j0);
        if (i0 + 2 < m) vstore8(c2, 0, C + (i0 + 2) * n + j0);
        if (i0 + 3 < m) vstore8(c3, 0, C + (i0 + 3) * n + j0);
    } else {
        // The last, partial block of columns.
        for (int j = j0; j < n; j++) {
            real s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int p = 0; p < k; p++) {
                real b = B[p * n + j];
                s0 += a0[p] * b;
                s1 += a1[p] * b;
                s2 += a2[p] * b;
                s3 += a3[p] * b;
            }
            C[i0 * n + j] = s0;
            if (i0 + 1 < m) C[(i0 + 1) * n + j] = s1;
            if (i0 + 2 < m) C[(i0 + 2) * n + j] = s2;
            if (i0 + 3 < m) C[(i0 + 3) * n + j] = s3;
        }
    }
}
