// Convolution as im2col + matrix products. The column matrix has one row per (c, ki, kj) and one column per
// (n, oh, ow); cols_n and cols_k say where logical entry (n, row, p) lives: cols[n·cols_n + row·cols_k + p], so one
// kernel writes the (N, K, P) layout of batched products and the (K, N·P) layout of the weight gradient.
// col2im is the adjoint, written as a gather (each input cell sums the column entries that read it): no atomics.
// Geometry: g = (N, C, H, W, kh, kw, Ho, Wo), s = (strideH, strideW, padH, padW, dilationH, dilationW, -, -).

kernel void im2col(global const real* x, global real* cols, int total, int8 g, int8 s, int cols_n, int cols_k) {
    int j = get_global_id(0);
    if (j >= total) return;
    int C = g.s1, H = g.s2, W = g.s3, kh = g.s4, kw = g.s5, Wo = g.s7;
    int P = g.s6 * Wo, K = C * kh * kw;
    int p = j % P, row = (j / P) % K, n = j / (P * K);
    int oh = p / Wo, ow = p % Wo;
    int c = row / (kh * kw), ki = (row / kw) % kh, kj = row % kw;
    int h = oh * s.s0 - s.s2 + ki * s.s4, w = ow * s.s1 - s.s3 + kj * s.s5;
    cols[n * cols_n + row * cols_k + p] = (h >= 0 && h < H && w >= 0 && w < W) ? x[((n * C + c) * H + h) * W + w] : 0;
}

kernel void col2im(global const real* cols, global real* x, int total, int8 g, int8 s, int cols_n, int cols_k) {
    int j = get_global_id(0);
    if (j >= total) return;
    int C = g.s1, H = g.s2, W = g.s3, kh = g.s4, kw = g.s5, Ho = g.s6, Wo = g.s7;
    int w = j % W, h = (j / W) % H, c = (j / (W * H)) % C, n = j / (W * H * C);
    acc_t acc = 0;
    for (int ki = 0; ki < kh; ki++) {
        int hh = h + s.s2 - ki * s.s4;
        if (hh < 0 || hh % s.s0 != 0 || hh / s.s0 >= Ho) continue;
        for (int kj = 0; kj < kw; kj++) {
            int ww = w + s.s3 - kj * s.s5;
            if (ww < 0 || ww % s.s1 != 0 || ww / s.s1 >= Wo) continue;
            acc += cols[n * cols_n + ((c * kh + ki) * kw + kj) * cols_k + (hh / s.s0) * Wo + ww / s.s1];
        }
    }
    x[j] = (real) acc;
}
