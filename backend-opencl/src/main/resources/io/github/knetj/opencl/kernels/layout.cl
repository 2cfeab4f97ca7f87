// Moving elements without arithmetic. One gather covers permute, broadcastTo and slice (the strides say where each
// output element comes from); one scatter covers concat and pad (the strides say where each input element goes).

kernel void gather(global const real* x, int x_offset, global real* y, int n, int rank, int8 dims, int8 strides) {
    int i = get_global_id(0);
    if (i < n) y[i] = x[x_offset + strided_offset(i, rank, dims, strides)];
}

kernel void scatter(global const real* x, global real* y, int y_offset, int n, int rank, int8 dims, int8 strides) {
    int i = get_global_id(0);
    if (i < n) y[y_offset + strided_offset(i, rank, dims, strides)] = x[i];
}
