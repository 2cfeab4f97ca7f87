// Reductions over the middle axis of an (outer, len, inner) view: every reduction is brought to that form on the
// host (a permute puts scattered reduced axes together). One work-item owns one output element and accumulates
// in acc_t, so float32 sums round once, as in the reference backend. Long single rows are first split in parts.

#define R_SUM 0
#define R_MEAN 1
#define R_MAX 2
#define R_LSE 3

// Java's Math.max over a line: NaN sticks once seen.
inline acc_t max_step(acc_t m, acc_t v) { return (isnan(v) || v > m) ? v : m; }

inline acc_t reduce_line(global const real* x, int base, int len, int stride, int mode) {
    if (mode == R_SUM || mode == R_MEAN) {
        acc_t s = 0;
        for (int k = 0; k < len; k++) s += x[base + k * stride];
        return mode == R_MEAN ? s / len : s;
    }
    acc_t m = -INFINITY;
    for (int k = 0; k < len; k++) m = max_step(m, x[base + k * stride]);
    if (mode == R_MAX || isinf(m)) return m;   // an all −∞ (or +∞) line is its own logsumexp
    acc_t s = 0;
    for (int k = 0; k < len; k++) s += exp(x[base + k * stride] - m);
    return m + log(s);
}

kernel void reduce_axis(global const real* x, global real* y, int outer, int len, int inner, int mode) {
    int j = get_global_id(0);
    if (j >= outer * inner) return;
    int o = j / inner, i = j % inner;
    y[j] = (real) reduce_line(x, o * len * inner + i, len, inner, mode);
}

// The reduced axes on both sides of the kept ones, an (a, b, c) view reduced over a and c: the bias gradient of a
// convolution, sum over (N, H, W) of (N, C, H, W). One work-item per kept element; sum, mean and max only.
kernel void reduce_outer_inner(global const real* x, global real* y, int a, int b, int c, int mode) {
    int j = get_global_id(0);
    if (j >= b) return;
    acc_t s;
    if (mode == R_MAX) {
        s = -INFINITY;
        for (int i = 0; i < a; i++)
            for (int l = 0; l < c; l++) s = max_step(s, x[(i * b + j) * c + l]);
    } else {
        // Eight partial sums: with one, every add waited for the one before (LeNet's conv1 bias gradient, 57,600
        // values a channel on 20 work-items, was 4% of a PoCL training step).
        acc_t p[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (int i = 0; i < a; i++) {
            global const real* row = x + (i * b + j) * c;
            int l = 0;
            for (; l + 8 <= c; l += 8) {
                #pragma unroll
                for (int u = 0; u < 8; u++) p[u] += row[l + u];
            }
            for (; l < c; l++) p[l % 8] += row[l];
        }
        s = ((p[0] + p[4]) + (p[2] + p[6])) + ((p[1] + p[5]) + (p[3] + p[7]));
    }
    y[j] = (real) (mode == R_MEAN ? s / ((acc_t) a * c) : s);
}

// First stage of a long contiguous row: part (r, s) holds the sum or max of one chunk of row r.
kernel void reduce_parts(global const real* x, global acc_t* parts, int rows, int len, int splits, int mode) {
    int j = get_global_id(0);
    if (j >= rows * splits) return;
    int r = j / splits, s = j % splits, chunk = (len + splits - 1) / splits;
    int lo = s * chunk, hi = min(len, lo + chunk);
    acc_t a = mode == R_MAX ? -INFINITY : 0;
    for (int k = lo; k < hi; k++) a = mode == R_MAX ? max_step(a, x[r * len + k]) : a + x[r * len + k];
    parts[j] = a;
}

kernel void reduce_finish(global const acc_t* parts, global real* y, int rows, int splits, int len, int mode) {
    int r = get_global_id(0);
    if (r >= rows) return;
    acc_t a = mode == R_MAX ? -INFINITY : 0;
    for (int s = 0; s < splits; s++) a = mode == R_MAX ? max_step(a, parts[r * splits + s]) : a + parts[r * splits + s];
    y[r] = (real) (mode == R_MEAN ? a / len : a);
}

// Index of the first largest element of each line (strictly greater wins, so ties keep the first).
kernel void argmax_axis(global const real* x, global int* y, int outer, int len, int inner) {
    int j = get_global_id(0);
    if (j >= outer * inner) return;
    int base = (j / inner) * len * inner + j % inner, best = 0;
    for (int k = 1; k < len; k++) if (x[base + k * inner] > x[base + best * inner]) best = k;
    y[j] = best;
}
