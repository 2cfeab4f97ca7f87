// The matrix product for GPUs: the classic tiled kernel. A work-group of TILE×TILE work-items stages one tile of A
// and one of B in local memory, so every element read from global memory is used TILE times.
// Same operands, strides and batch strides as matmul_cpu.

#define TILE 16

kernel __attribute__((reqd_work_group_size(TILE, TILE, 1)))
void matmul_tiled(global const real* A, int a_off, int a_batch, int a_row, int a_col,
                  global const real* B, int b_off, int b_batch, int b_row, int b_col,
                  global real* C, int c_off, int c_batch, int m, int n, int k) {
    local real As[TILE][TILE];
    local real Bs[TILE][TILE];
    int col = get_global_id(0), row = get_global_id(1), bt = get_global_id(2);
    int lc = get_local_id(0), lr = get_local_id(1);
    A += a_off + bt * a_batch;
    B += b_off + bt * b_batch;
    C += c_off + bt * c_batch;
    real acc = 0;
    for (int t = 0; t < k; t += TILE) {
        As[lr][lc] = (row < m && t + lc < k) ? A[row * a_row + (t + lc) * a_col] : 0;
        Bs[lr][lc] = (t + lr < k && col < n) ? B[(t + lr) * b_row + col * b_col] : 0;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int p = 0; p < TILE; p++) acc += As[lr][p] * Bs[p][lc];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (row < m && col < n) C[row * n + col] = acc;
}
