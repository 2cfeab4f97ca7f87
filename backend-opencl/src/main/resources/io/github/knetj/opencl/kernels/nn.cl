// Softmax along an axis of an (outer, len, inner) view, and the row and class gathers and scatters of embeddings
// and labels. Index lists arrive as int buffers; scatter-add is a gather over a host-sorted list, so no atomics.

kernel void softmax_axis(global const real* x, global real* y, int outer, int len, int inner, int take_log) {
    int j = get_global_id(0);
    if (j >= outer * inner) return;
    int base = (j / inner) * len * inner + j % inner;
    acc_t m = -INFINITY, s = 0;
    for (int k = 0; k < len; k++) { acc_t v = x[base + k * inner]; m = (isnan(v) || v > m) ? v : m; }
    for (int k = 0; k < len; k++) s += exp(x[base + k * inner] - m);
    acc_t log_s = log(s);
    for (int k = 0; k < len; k++) {
        acc_t z = x[base + k * inner] - m;
        y[base + k * inner] = (real) (take_log ? z - log_s : exp(z) / s);
    }
}

kernel void gather_rows(global const real* table, global const int* idx, global real* y, int n, int width) {
    int j = get_global_id(0);
    if (j >= n * width) return;
    y[j] = table[idx[j / width] * width + j % width];
}

// Output row r sums src rows order[start[r]] .. order[start[r+1]-1], listed in increasing order as the reference adds them.
kernel void scatter_add_rows(global const real* src, global const int* start, global const int* order, global real* y,
                             int rows, int width) {
    int j = get_global_id(0);
    if (j >= rows * width) return;
    int r = j / width, c = j % width;
    acc_t s = 0;
    for (int k = start[r]; k < start[r + 1]; k++) s += src[order[k] * width + c];
    y[j] = (real) s;
}

kernel void pick_classes(global const real* x, global const int* labels, global real* y, int n, int classes) {
    int i = get_global_id(0);
    if (i < n) y[i] = x[i * classes + labels[i]];
}

kernel void place_classes(global const real* g, global const int* labels, global real* y, int n, int classes) {
    int j = get_global_id(0);
    if (j >= n * classes) return;
    int i = j / classes;
    y[j] = j % classes == labels[i] ? g[i] : 0;
}
