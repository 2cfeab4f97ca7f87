// Filling and dtype conversion: the kernels behind Memory.full and Memory.cast.

kernel void fill(global real* y, int n, real value) {
    int i = get_global_id(0);
    if (i < n) y[i] = value;
}

kernel void cast_from_float(global const float* x, global real* y, int n) {
    int i = get_global_id(0);
    if (i < n) y[i] = (real) x[i];
}

#ifdef KNETJ_FP64
kernel void cast_from_double(global const double* x, global real* y, int n) {
    int i = get_global_id(0);
    if (i < n) y[i] = (real) x[i];
}
#endif
