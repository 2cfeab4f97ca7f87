// Convolution as im2col + matrix products. The column matrix has one row per (c, ki, kj) and one column per
// (n, oh, ow); cols_n and cols_k say where logical entry (n, row, p) lives: cols[n·cols_n + row·cols_k + p], so one
// kernel writes the (N, K, P) layout of batched products and the (K, N·P) layout of the weight gradient.
// col2im is the adjoint, written as a gather (each input cell sums the column entries that read it): no atomics.
// Geometry: g = (N, C, H, W, kh, kw, Ho, Wo), s = (strideH, strideW, padH, padW, dilationH, dilationW, -, -).

// Work-item (row, n) fills one row of the column matrix for one image, walking (oh, ow) without divisions.
kernel void im2col(global const real* x, global real* cols, int8 g, int8 s, int cols_n, int cols_k) {
    int row = get_global_id(0), n = get_global_id(1);
    int C = g.s1, H = g.s2, W = g.s3, kh = g.s4, kw = g.s5, Ho = g.s6, Wo = g.s7;
    if (row >= C * kh * kw) return;
    int c = row / (kh * kw), ki = (row / kw) % kh, kj = row % kw;
    global const real* xc = x + (n * C + c) * H * W;
    global real* out = cols + n * cols_n + row * cols_k;
    for (int oh = 0; oh < Ho; oh++) {
        int h = oh * s.s0 - s.s2 + ki * s.s4;
        bool in_h = h >= 0 && h < H;
        for (int ow = 0; ow < Wo; ow++) {
            int w = ow * s.s1 - s.s3 + kj * s.s5;
            out[oh * Wo + ow] = (in_h && w >= 0 && w < W) ? xc[h * W + w] : 0;
        }
    }
}

// im2col for stride 1, no padding and no dilation (LeNet's convolutions): each output row copies one contiguous run
// of an input row, with no bounds test per element, so the copy vectorizes.
kernel void im2col_valid(global const real* x, global real* cols, int8 g, int cols_n, int cols_k) {
    int row = get_global_id(0), n = get_global_id(1);
    int C = g.s1, H = g.s2, W = g.s3, kh = g.s4, kw = g.s5, Ho = g.s6, Wo = g.s7;
    if (row >= C * kh * kw) return;
    int c = row / (kh * kw), ki = (row / kw) % kh, kj = row % kw;
    global const real* xc = x + ((n * C + c) * H + ki) * W + kj;
    global real* out = cols + n * cols_n + row * cols_k;
    for (int oh = 0; oh < Ho; oh++)
        for (int ow = 0; ow < Wo; ow++) out[oh * Wo + ow] = xc[oh * W + ow];
}

// Work-item (h, c, n) sums, for every cell of one image row, the column entries that read it: 16 cells at a time in
// registers, each (ki, kj) adding one run of a column row to them (at stride 1 a contiguous run, found once instead
// of tested per cell). Every cell adds its terms in (ki, kj) order, as the reference backend does.
kernel void col2im(global const real* cols, global real* x, int8 g, int8 s, int cols_n, int cols_k) {
    int h = get_global_id(0), c = get_global_id(1), n = get_global_id(2);
    int C = g.s1, H = g.s2, W = g.s3, kh = g.s4, kw = g.s5, Ho = g.s6, Wo = g.s7;
    if (h >= H) return;
    global real* xr = x + ((n * C + c) * H + h) * W;
    for (int w0 = 0; w0 < W; w0 += 16) {
        int wn = min(16, W - w0);
        acc_t acc[16];
        for (int j = 0; j < 16; j++) acc[j] = 0;
        for (int ki = 0; ki < kh; ki++) {
            int hh = h + s.s2 - ki * s.s4;
            if (hh < 0 || hh % s.s0 != 0 || hh / s.s0 >= Ho) continue;
            global const real* cr = cols + n * cols_n + (c * kh + ki) * kw * cols_k + (hh / s.s0) * Wo;
            for (int kj = 0; kj < kw; kj++, cr += cols_k) {
                int off = s.s3 - kj * s.s5;   // cell w reads column entry w + off (before the stride)
                if (s.s1 == 1) {
                    int lo = max(w0, -off), hi = min(w0 + wn, Wo - off);
                    for (int w = lo; w < hi; w++) acc[w - w0] += cr[w + off];
                } else {
                    for (int w = w0; w < w0 + wn; w++) {
                        int ww = w + off;
                        if (ww >= 0 && ww % s.s1 == 0 && ww / s.s1 < Wo) acc[w - w0] += cr[ww / s.s1];
                    }
                }
            }
        }
        for (int j = 0; j < wn; j++) xr[w0 + j] = (real) acc[j];
    }
}
