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

// The same two kernels for walks of at most 3 axes (most, once axes are merged): a 3-D range, no divisions.
// dims and strides hold the axes in lanes 0..2, outermost first; get_global_id(0) walks the innermost axis.
kernel void gather3(global const real* x, int x_offset, global real* y, int8 dims, int8 strides) {
    int i2 = get_global_id(0), i1 = get_global_id(1), i0 = get_global_id(2);
    y[(i0 * dims.s1 + i1) * dims.s2 + i2] = x[x_offset + i0 * strides.s0 + i1 * strides.s1 + i2 * strides.s2];
}

kernel void scatter3(global const real* x, global real* y, int y_offset, int8 dims, int8 strides) {
    int i2 = get_global_id(0), i1 = get_global_id(1), i0 = get_global_id(2);
    y[y_offset + i0 * strides.s0 + i1 * strides.s1 + i2 * strides.s2] = x[(i0 * dims.s1 + i1) * dims.s2 + i2];
}
